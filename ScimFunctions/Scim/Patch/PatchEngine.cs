using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim.Patch;

/// <summary>
/// Applies an RFC 7644 §3.5.2 PATCH to a resource document. All operations apply to a copy, in order; the
/// first failure throws a <see cref="ScimException"/> and nothing is changed. Group membership is not in the
/// document: operations on <c>members</c> are folded into <see cref="PatchOutcome.Members"/>.
/// </summary>
public static class PatchEngine
{
    public static PatchOutcome Apply(JsonObject resource, PatchRequest request, ResourceSchema schema)
    {
        // A case-insensitive copy: every lookup by attribute name is then one probe, however large the document.
        var document = JsonNodes.CaseInsensitiveCopy(resource)!.AsObject();
        var context = new PatchContext(document, schema, new MembershipChangeBuilder());
        for (var i = 0; i < request.Operations.Count; i++)
        {
            try
            {
                ApplyOperation(context, request.Operations[i]);
            }
            catch (ScimException e) when (request.Operations.Count > 1)
            {
                throw e.WithDetail($"Operation {i + 1}: {e.Detail}");
            }
        }
        foreach (var required in schema.Core.Attributes.Where(a => a.Required))
        {
            if (JsonNodes.IsNullOrEmpty(JsonNodes.Get(document, required.Name)))
            {
                throw ScimException.InvalidValue($"\"{required.Name}\" is required and cannot be removed.");
            }
        }
        EnforcePrimaryEverywhere(document);
        schema.RefreshSchemas(document);
        return new PatchOutcome(document, context.Members.Build(), !JsonNode.DeepEquals(resource, document));
    }

    private sealed record PatchContext(JsonObject Document, ResourceSchema Schema, MembershipChangeBuilder Members)
    {
        /// <summary>Groups keep members as separate rows, so membership never lives in the document.</summary>
        public bool MembersAreExternal => Schema.Core.FindAttribute("members") is not null;
    }

    private static void ApplyOperation(PatchContext context, PatchOperation operation)
    {
        if (operation.Path is null)
        {
            if (operation.Op == PatchOperationType.Remove)
            {
                throw ScimException.NoTarget("A remove operation needs a \"path\".");
            }
            if (operation.Value is not JsonObject values)
            {
                throw ScimException.InvalidValue($"An {Name(operation.Op)} without a path needs an object value.");
            }
            ApplyValueObject(context, operation.Op, values, extensionKey: null);
            return;
        }

        var pathText = ScimNormaliser.MapLegacyUrnPrefix(operation.Path, context.Schema);
        if (ExtensionKeyOf(pathText, context.Schema) is { } extensionKey)
        {
            ApplyToExtension(context, operation.Op, extensionKey, operation.Value);
            return;
        }
        if (pathText.Equals("schemas", StringComparison.OrdinalIgnoreCase))
        {
            // schemas follows the document's content (see ResourceSchema.RefreshSchemas), as in a no-path add.
            if (operation.Value is not null && (operation.Value is not JsonArray urns || !urns.All(urn => urn is null || JsonNodes.TryGetString(urn, out _))))
            {
                throw ScimException.InvalidValue("\"schemas\" must be an array of schema URIs.");
            }
            return;
        }
        var (path, valueFilter, subAttribute) = FilterParser.ParsePatchPath(pathText);
        if (valueFilter is null)
        {
            ApplyToPath(context, operation.Op, path, operation.Value);
        }
        else
        {
            ApplyFiltered(context, operation.Op, path, valueFilter, subAttribute, operation.Value);
        }
    }

    /// <summary>A path or key that names a whole extension (known, or any URN holding an object).</summary>
    private static string? ExtensionKeyOf(string text, ResourceSchema schema)
    {
        if (!ResourceSchema.IsUrn(text)) return null;
        if (schema.FindExtension(text) is { } known) return known.Id;
        return null;
    }

    /// <summary>A no-path add/replace: each key is a plain, dotted or URN-qualified path, or an extension URN.</summary>
    private static void ApplyValueObject(PatchContext context, PatchOperationType op, JsonObject values, string? extensionKey)
    {
        foreach (var (rawKey, value) in values)
        {
            if (extensionKey is not null)
            {
                ApplyToPath(context, op, ParseKey(rawKey) with { SchemaUrn = extensionKey }, value);
                continue;
            }
            var key = ScimNormaliser.MapLegacyUrnPrefix(rawKey, context.Schema);
            if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase) || key.Equals("meta", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (key.Equals("id", StringComparison.OrdinalIgnoreCase))
            {
                // Okta re-sends the id with every rename; only a different id is an attempt to change it.
                if (ValueCoercion.IsNull(value)
                    || (JsonNodes.TryGetString(value, out var id) && id == JsonNodes.GetString(context.Document, "id")))
                {
                    continue;
                }
                throw ScimException.Mutability("\"id\" is readOnly.");
            }
            var extension = ExtensionKeyOf(key, context.Schema)
                ?? (value is JsonObject && IsUnknownSchemaKey(key, context.Schema) ? key : null);
            if (extension is not null)
            {
                ApplyToExtension(context, op, extension, value);
                continue;
            }
            ApplyToPath(context, op, ParseKey(key), value);
        }
    }

    /// <summary>
    /// An object under a schema-like key that no known schema claims is an unknown extension: kept as it is.
    /// A key qualified by a known schema (<c>urn:...:User:name</c>) is an attribute path instead.
    /// </summary>
    private static bool IsUnknownSchemaKey(string key, ResourceSchema schema)
    {
        if (!ResourceSchema.IsSchemaKey(key)) return false;
        if (!AttributePath.TryParse(key, out var path)) return true;
        return path.SchemaUrn is not null && !schema.IsCoreUrn(path.SchemaUrn) && schema.FindExtension(path.SchemaUrn) is null;
    }

    private static AttributePath ParseKey(string key)
        => AttributePath.TryParse(key, out var path) ? path : throw ScimException.InvalidPath($"\"{key}\" is not a valid attribute path.");

    private static void ApplyToExtension(PatchContext context, PatchOperationType op, string extensionKey, JsonNode? value)
    {
        if (op == PatchOperationType.Remove)
        {
            JsonNodes.Remove(context.Document, extensionKey);
            return;
        }
        if (value is not JsonObject values)
        {
            throw ScimException.InvalidValue($"A value for \"{extensionKey}\" must be an object of its attributes.");
        }
        ApplyValueObject(context, op, values, extensionKey);
    }

    private static void ApplyToPath(PatchContext context, PatchOperationType op, AttributePath path, JsonNode? value)
    {
        var location = AttributeResolver.Resolve(path, context.Schema);
        if (IsMembers(context, location))
        {
            ApplyToMembers(context, op, location, null, value);
            return;
        }
        if (!CheckWritable(location, path)) return;

        var container = op == PatchOperationType.Remove
            ? AttributeResolver.Container(context.Document, location)
            : GetOrCreateContainer(context.Document, location);
        if (container is null) return;
        var existing = JsonNodes.Get(container, location.Name);
        var definition = location.Definition;

        if (location.SubAttribute is not null)
        {
            ApplyToSubAttribute(op, container, location, existing, value, path);
            return;
        }

        if (op == PatchOperationType.Remove)
        {
            if (definition?.Required == true) throw ScimException.InvalidValue($"\"{path}\" is required and cannot be removed.");
            if (value is not null && existing is JsonArray items)
            {
                // remove with a value list removes only those values, never the whole attribute.
                var toRemove = ValueCoercion.Coerce(value, definition, path.ToString());
                foreach (var item in FilterEvaluator.Items(toRemove).ToList()) RemoveMatching(items, item);
                if (items.Count == 0) container.Remove(location.Name);
            }
            else
            {
                JsonNodes.Remove(container, location.Name);
            }
            CleanUpEmptyExtension(context.Document, location);
            return;
        }

        var coerced = ValueCoercion.Coerce(value, definition, path.ToString());
        var multiValued = definition?.MultiValued ?? (existing is JsonArray || coerced is JsonArray);
        var complex = definition?.IsComplex ?? (existing is JsonObject && coerced is JsonObject);

        if (multiValued)
        {
            var incoming = coerced is JsonArray array ? Detach(array) : coerced is null ? [] : [coerced];
            // Adding compares each new value with the current ones, so both sides stay bounded.
            ValueCoercion.CheckValueCount(incoming.Count, path.ToString());
            if (op == PatchOperationType.Replace || existing is not JsonArray current)
            {
                var replacement = new JsonArray();
                if (op == PatchOperationType.Add && existing is not null && existing is not JsonArray) replacement.Add(existing.DeepClone());
                foreach (var item in incoming) replacement.Add(item);
                SetOrRemove(container, location.Name, replacement.Count == 0 ? null : replacement);
                if (replacement.Count > 0) EnforceNewPrimary(replacement, incoming);
            }
            else
            {
                EnforceNewPrimary(current, AddValues(current, incoming));
                ValueCoercion.CheckValueCount(current.Count, path.ToString());
            }
            return;
        }
        if (complex && coerced is JsonObject subValues)
        {
            // add and replace on a complex attribute both set the given sub-attributes and keep the others.
            if (existing is not JsonObject target)
            {
                container[location.Name] = subValues;
                return;
            }
            foreach (var (key, subValue) in subValues.ToList())
            {
                CheckImmutable(definition?.FindSubAttribute(key), JsonNodes.Get(target, key), subValue, $"{path}.{key}");
                subValues.Remove(key);
                JsonNodes.Set(target, key, subValue);
            }
            return;
        }
        CheckImmutable(definition, existing, coerced, path.ToString());
        SetOrRemove(container, location.Name, coerced);
        CleanUpEmptyExtension(context.Document, location);
    }

    private static void ApplyToSubAttribute(PatchOperationType op, JsonObject container, AttributeLocation location, JsonNode? existing, JsonNode? value, AttributePath path)
    {
        var subName = location.SubAttribute!;
        var coerced = op == PatchOperationType.Remove
            ? null
            : location.SubDefinition is null ? (ValueCoercion.IsNull(value) ? null : value!.DeepClone())
            : ValueCoercion.CoerceSingle(value ?? JsonValue.Create(""), location.SubDefinition, path.ToString());

        if (existing is JsonArray elements)
        {
            if (elements.Count == 0 && op == PatchOperationType.Replace) throw ScimException.NoTarget($"\"{location.Name}\" has no values.");
            foreach (var element in elements.OfType<JsonObject>())
            {
                CheckImmutable(location.SubDefinition, JsonNodes.Get(element, subName), coerced, path.ToString());
                SetOrRemove(element, subName, coerced?.DeepClone());
            }
            RemoveEmptyElements(container, location.Name, elements);
            return;
        }
        if (op == PatchOperationType.Remove)
        {
            if (existing is JsonObject target)
            {
                JsonNodes.Remove(target, subName);
                if (target.Count == 0) container.Remove(location.Name);
            }
            return;
        }
        if (coerced is null && existing is null) return;
        if (location.Definition?.MultiValued == true)
        {
            var element = JsonNodes.NewObject();
            element[subName] = coerced;
            SetOrRemove(container, location.Name, new JsonArray(element));
            return;
        }
        if (existing is not JsonObject parent)
        {
            parent = JsonNodes.NewObject();
            container[location.Name] = parent;
        }
        CheckImmutable(location.SubDefinition, JsonNodes.Get(parent, subName), coerced, path.ToString());
        SetOrRemove(parent, subName, coerced);
        if (parent.Count == 0) container.Remove(location.Name);
    }

    private static void ApplyFiltered(PatchContext context, PatchOperationType op, AttributePath path, FilterNode valueFilter, string? subAttribute, JsonNode? value)
    {
        var location = AttributeResolver.Resolve(path, context.Schema);
        if (IsMembers(context, location))
        {
            ApplyToMembers(context, op, location, valueFilter, value, subAttribute);
            return;
        }
        FilterValidator.Validate(new ValuePathNode(path, valueFilter), context.Schema);
        var subDefinition = subAttribute is null ? null : location.Definition?.FindSubAttribute(subAttribute);
        var subName = subDefinition?.Name ?? subAttribute;
        var fullPath = subName is null ? $"{path}[{valueFilter}]" : $"{path}[{valueFilter}].{subName}";
        if (!CheckWritable(location with { SubAttribute = subName, SubDefinition = subDefinition }, path)) return;

        var container = op == PatchOperationType.Remove
            ? AttributeResolver.Container(context.Document, location)
            : GetOrCreateContainer(context.Document, location);
        if (container is null) return;
        var existing = JsonNodes.Get(container, location.Name);
        if (existing is JsonObject single)
        {
            existing = new JsonArray(single.DeepClone());
            container[location.Name] = existing;
        }
        var elements = existing as JsonArray;
        var matched = elements is null
            ? []
            : elements.OfType<JsonObject>()
                .Where(e => FilterEvaluator.EvaluateInValue(valueFilter, e, context.Schema, location.Definition, location.Name))
                .ToList();

        if (op == PatchOperationType.Remove)
        {
            foreach (var element in matched)
            {
                if (subName is null) elements!.Remove(element);
                else JsonNodes.Remove(element, subName);
            }
            if (elements is not null) RemoveEmptyElements(container, location.Name, elements);
            CleanUpEmptyExtension(context.Document, location);
            return;
        }

        if (matched.Count == 0)
        {
            if (op == PatchOperationType.Replace) throw ScimException.NoTarget($"\"{fullPath}\" matched no values.");
            // add to emails[type eq "work"].value when there is no work email yet: create it (Entra ID does this).
            var created = ElementFromEqualities(valueFilter)
                ?? throw ScimException.NoTarget($"\"{fullPath}\" matched no values, and its filter does not describe a new one.");
            if (elements is null)
            {
                elements = [];
                container[location.Name] = elements;
            }
            elements.Add(created);
            matched.Add(created);
        }

        foreach (var element in matched)
        {
            if (subName is not null)
            {
                var coerced = subDefinition is null
                    ? (ValueCoercion.IsNull(value) ? null : value!.DeepClone())
                    : value is null ? null : ValueCoercion.CoerceSingle(value, subDefinition, fullPath);
                CheckImmutable(subDefinition, JsonNodes.Get(element, subName), coerced, fullPath);
                SetOrRemove(element, subName, coerced);
                continue;
            }
            var replacement = location.Definition is null
                ? value?.DeepClone()
                : value is null ? null : ValueCoercion.CoerceSingle(value, location.Definition, fullPath);
            if (replacement is not JsonObject replacementObject)
            {
                throw ScimException.InvalidValue($"\"{fullPath}\" takes an object value.");
            }
            if (op == PatchOperationType.Replace)
            {
                element.Clear();
            }
            foreach (var (key, subValue) in replacementObject.ToList())
            {
                replacementObject.Remove(key);
                JsonNodes.Set(element, key, subValue);
            }
        }
        RemoveEmptyElements(container, location.Name, elements!);
        if (JsonNodes.Get(container, location.Name) is JsonArray result)
        {
            var newlyPrimary = matched.LastOrDefault(ValueCoercion.IsPrimary);
            ValueCoercion.EnforceSinglePrimary(result, newlyPrimary is null ? null : result.IndexOf(newlyPrimary));
        }
    }

    /// <summary>A new element built from a filter of <c>eq</c>s joined by <c>and</c>, or null if it is anything else.</summary>
    private static JsonObject? ElementFromEqualities(FilterNode filter)
    {
        var operands = filter is AndNode and ? and.Operands : [filter];
        var element = JsonNodes.NewObject();
        foreach (var operand in operands)
        {
            if (operand is not ComparisonNode { Operator: ComparisonOperator.Eq, Value: { } literal } comparison
                || comparison.Path.SchemaUrn is not null || comparison.Path.SubAttribute is not null
                || literal.Kind == LiteralKind.Null)
            {
                return null;
            }
            element[comparison.Path.Name] = literal.Kind switch
            {
                LiteralKind.String => JsonValue.Create(literal.Text),
                LiteralKind.True => JsonValue.Create(true),
                LiteralKind.False => JsonValue.Create(false),
                _ => JsonNode.Parse(literal.Text),
            };
        }
        return element;
    }

    private static bool IsMembers(PatchContext context, AttributeLocation location)
        => context.MembersAreExternal && location.ExtensionKey is null && location.Name == "members";

    private static void ApplyToMembers(PatchContext context, PatchOperationType op, AttributeLocation location, FilterNode? valueFilter, JsonNode? value, string? subAfterFilter = null)
    {
        if (location.SubAttribute is not null || subAfterFilter is not null)
        {
            throw ScimException.Mutability("The sub-attributes of members are immutable; add or remove the member instead.");
        }
        var members = context.Members;
        switch (op)
        {
            case PatchOperationType.Remove when valueFilter is not null:
                foreach (var id in MemberIdsFromFilter(valueFilter)) members.Remove(id);
                break;
            case PatchOperationType.Remove when value is not null:
                foreach (var member in ReadMembers(value)) members.Remove(member.Value);
                break;
            case PatchOperationType.Remove:
                members.ReplaceWith([]);
                break;
            case PatchOperationType.Add when valueFilter is null:
                foreach (var member in ReadMembers(value)) members.Add(member);
                break;
            case PatchOperationType.Replace when valueFilter is null:
                members.ReplaceWith(ReadMembers(value));
                break;
            default:
                throw ScimException.InvalidPath("Members are added or replaced through \"members\" without a filter.");
        }
    }

    /// <summary><c>value eq "id"</c>, or <c>or</c>s of them: the only member filters answerable without the member list.</summary>
    private static IEnumerable<string> MemberIdsFromFilter(FilterNode filter)
    {
        var operands = filter is OrNode or ? or.Operands : [filter];
        var ids = new List<string>(operands.Count);
        foreach (var operand in operands)
        {
            if (operand is ComparisonNode { Operator: ComparisonOperator.Eq, Value.Kind: LiteralKind.String, Path.SchemaUrn: null } comparison
                && (comparison.Path.SubAttribute is null
                    ? comparison.Path.Name.Equals("value", StringComparison.OrdinalIgnoreCase)
                    : comparison.Path.Name.Equals("members", StringComparison.OrdinalIgnoreCase)
                      && comparison.Path.SubAttribute.Equals("value", StringComparison.OrdinalIgnoreCase)))
            {
                ids.Add(comparison.Value!.Text);
                continue;
            }
            throw ScimException.InvalidFilter("A members filter must be value eq \"id\", or several of those joined by or.");
        }
        return ids;
    }

    /// <summary>Reads a member list: an array of objects (or one object) each with a string "value".</summary>
    internal static IReadOnlyList<MemberRef> ReadMembers(JsonNode? value)
    {
        var members = new List<MemberRef>();
        foreach (var item in FilterEvaluator.Items(value))
        {
            if (item is not JsonObject member || !JsonNodes.TryGetString(JsonNodes.Get(member, "value"), out var id) || string.IsNullOrWhiteSpace(id))
            {
                throw ScimException.InvalidValue("Each member must be an object with a non-empty string \"value\".");
            }
            var type = JsonNodes.GetString(member, "type");
            if (type is not null)
            {
                type = type.Equals("User", StringComparison.OrdinalIgnoreCase) ? "User"
                    : type.Equals("Group", StringComparison.OrdinalIgnoreCase) ? "Group"
                    : throw ScimException.InvalidValue($"Member type \"{type}\" is neither User nor Group.");
            }
            members.Add(new MemberRef(id, type, JsonNodes.GetString(member, "display")));
        }
        return members;
    }

    /// <summary>readOnly targets are a 400 mutability; writeOnly ones (password) are accepted and not stored.</summary>
    private static bool CheckWritable(AttributeLocation location, AttributePath path)
    {
        if (location.Definition?.Mutability == Mutability.ReadOnly || location.SubDefinition?.Mutability == Mutability.ReadOnly)
        {
            throw ScimException.Mutability($"\"{path}\" is readOnly.");
        }
        return location.Definition?.Mutability != Mutability.WriteOnly && location.SubDefinition?.Mutability != Mutability.WriteOnly;
    }

    private static void CheckImmutable(AttributeDefinition? definition, JsonNode? existing, JsonNode? incoming, string path)
    {
        if (definition?.Mutability == Mutability.Immutable && !JsonNodes.IsNullOrEmpty(existing) && !JsonNode.DeepEquals(existing, incoming))
        {
            throw ScimException.Mutability($"\"{path}\" is immutable and already has a value.");
        }
    }

    private static JsonObject GetOrCreateContainer(JsonObject document, AttributeLocation location)
    {
        if (location.ExtensionKey is null) return document;
        if (JsonNodes.Get(document, location.ExtensionKey) is JsonObject extension) return extension;
        extension = JsonNodes.NewObject();
        JsonNodes.Set(document, location.ExtensionKey, extension);
        return extension;
    }

    private static void CleanUpEmptyExtension(JsonObject document, AttributeLocation location)
    {
        if (location.ExtensionKey is not null && JsonNodes.Get(document, location.ExtensionKey) is JsonObject { Count: 0 })
        {
            JsonNodes.Remove(document, location.ExtensionKey);
        }
    }

    private static void SetOrRemove(JsonObject container, string name, JsonNode? value)
    {
        if (value is null) JsonNodes.Remove(container, name);
        else JsonNodes.Set(container, name, value);
    }

    private static void RemoveEmptyElements(JsonObject container, string name, JsonArray elements)
    {
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            if (JsonNodes.IsNullOrEmpty(elements[i])) elements.RemoveAt(i);
        }
        if (elements.Count == 0) JsonNodes.Remove(container, name);
    }

    /// <summary>
    /// Adds values not already present (RFC 7644 §3.5.2.1: an existing value is not added again; its other
    /// sub-attributes are updated). Returns the elements written, for the primary rule.
    /// </summary>
    private static List<JsonNode> AddValues(JsonArray current, IReadOnlyList<JsonNode> incoming)
    {
        var written = new List<JsonNode>(incoming.Count);
        foreach (var item in incoming)
        {
            var duplicate = current.FirstOrDefault(existing => SameValue(existing, item));
            if (duplicate is null)
            {
                current.Add(item);
                written.Add(item);
                continue;
            }
            if (item is JsonObject itemObject && duplicate is JsonObject duplicateObject)
            {
                foreach (var (key, value) in itemObject.ToList())
                {
                    itemObject.Remove(key);
                    JsonNodes.Set(duplicateObject, key, value);
                }
            }
            written.Add(duplicate);
        }
        return written;
    }

    private static List<JsonNode> Detach(JsonArray array)
    {
        var items = array.Where(item => item is not null).Select(item => item!).ToList();
        array.Clear();
        return items;
    }

    /// <summary>Two values are the same when equal, or, for complex values, when their value and type agree.</summary>
    private static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (JsonNode.DeepEquals(a, b)) return true;
        if (a is not JsonObject left || b is not JsonObject right) return false;
        var leftValue = JsonNodes.Get(left, "value");
        return leftValue is not null
               && JsonNode.DeepEquals(leftValue, JsonNodes.Get(right, "value"))
               && string.Equals(JsonNodes.GetString(left, "type"), JsonNodes.GetString(right, "type"), StringComparison.OrdinalIgnoreCase);
    }

    private static void RemoveMatching(JsonArray items, JsonNode target)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var item = items[i];
            var matches = JsonNode.DeepEquals(item, target)
                || (item is JsonObject element && target is JsonObject wanted
                    && JsonNodes.Get(wanted, "value") is { } wantedValue
                    && JsonNode.DeepEquals(JsonNodes.Get(element, "value"), wantedValue));
            if (matches) items.RemoveAt(i);
        }
    }

    private static void EnforceNewPrimary(JsonArray result, IReadOnlyList<JsonNode> written)
    {
        var newlyPrimary = written.LastOrDefault(ValueCoercion.IsPrimary);
        var index = newlyPrimary is null ? -1 : result.IndexOf(newlyPrimary);
        ValueCoercion.EnforceSinglePrimary(result, index < 0 ? null : index);
    }

    /// <summary>Documents written before normalisation may hold two primaries; never hand one back.</summary>
    private static void EnforcePrimaryEverywhere(JsonObject document)
    {
        foreach (var (_, value) in document)
        {
            if (value is JsonArray items) ValueCoercion.EnforceSinglePrimary(items, null);
            else if (value is JsonObject extension)
            {
                foreach (var (_, inner) in extension) if (inner is JsonArray innerItems) ValueCoercion.EnforceSinglePrimary(innerItems, null);
            }
        }
    }

    private static string Name(PatchOperationType op) => op.ToString().ToLowerInvariant();
}
