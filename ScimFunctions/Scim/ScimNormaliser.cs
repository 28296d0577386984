using System.Text.Json.Nodes;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Scim;

/// <summary>A group body split into its document and its members (stored as separate rows).</summary>
public sealed record NormalisedGroup(JsonObject Resource, IReadOnlyList<MemberRef> Members);

/// <summary>
/// Turns a POST/PUT body, in any of the shapes IdPs send (legacy URNs, enterprise fields under either key,
/// single objects for lists, string booleans, <c>"id": null</c>, <c>meta</c>, <c>;</c>-joined lists), into the
/// strict stored form: canonical attribute names, typed values, one primary at most, correct <c>schemas</c>.
/// Server-assigned and readOnly attributes in the body are ignored; writeOnly ones (password) are not kept.
/// Unknown attributes and extensions are kept as sent. Bad values are 400 invalidValue.
/// </summary>
public static class ScimNormaliser
{
    public static JsonObject NormaliseUser(JsonObject body) => Normalise(body, ResourceSchemas.User, out _);

    public static NormalisedGroup NormaliseGroup(JsonObject body)
    {
        var resource = Normalise(body, ResourceSchemas.Group, out var members);
        return new NormalisedGroup(resource, members);
    }

    /// <summary>Normalises a body for any resource type; <paramref name="members"/> collects a Group's members.</summary>
    public static JsonObject Normalise(JsonObject body, ResourceSchema schema, out IReadOnlyList<MemberRef> members)
    {
        members = [];
        var result = JsonNodes.NewObject();
        result["schemas"] = new JsonArray();
        var listedSchemas = new List<string>();
        // Extension objects are merged after the core, legacy keys first, so the standard key wins a conflict.
        var extensionObjects = new List<(int Priority, string Key, JsonObject Value)>();

        foreach (var (rawKey, value) in body)
        {
            var key = MapLegacyUrnPrefix(rawKey, schema);
            if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase))
            {
                if (ValueCoercion.IsNull(value)) continue;
                // RFC 7643 §3: an array of strings, each a schema URI.
                if (value is not JsonArray urns) throw ScimException.InvalidValue("\"schemas\" must be an array of schema URIs.");
                foreach (var item in urns)
                {
                    if (ValueCoercion.IsNull(item)) continue;
                    if (!JsonNodes.TryGetString(item, out var urn)) throw ScimException.InvalidValue("\"schemas\" must list schema URIs as strings.");
                    if (!string.IsNullOrWhiteSpace(urn)) listedSchemas.Add(MapLegacyUrnPrefix(urn.Trim(), schema));
                }
                continue;
            }
            if (ResourceSchema.IsSchemaKey(key))
            {
                var isLegacy = key != rawKey;
                if (schema.FindExtension(key) is { } extension)
                {
                    if (value is JsonObject extensionValues) extensionObjects.Add((isLegacy ? 0 : 1, extension.Id, extensionValues));
                    else if (!ValueCoercion.IsNull(value)) throw ScimException.InvalidValue($"\"{extension.Id}\" must be an object of its attributes.");
                    continue;
                }
                if (schema.IsCoreUrn(key) && value is JsonObject coreValues)
                {
                    foreach (var (coreKey, coreValue) in coreValues) SetTopLevel(result, schema, coreKey, coreValue, ref members);
                    continue;
                }
                if (AttributePath.TryParse(key, out var qualified) && qualified.SchemaUrn is not null && qualified.SubAttribute is null)
                {
                    if (schema.IsCoreUrn(qualified.SchemaUrn))
                    {
                        SetTopLevel(result, schema, qualified.Name, value, ref members);
                        continue;
                    }
                    if (schema.FindExtension(qualified.SchemaUrn) is { } owner)
                    {
                        extensionObjects.Add((isLegacy ? 0 : 1, owner.Id, new JsonObject { [qualified.Name] = value?.DeepClone() }));
                        continue;
                    }
                }
                if (!ValueCoercion.IsNull(value)) JsonNodes.Set(result, key, value!.DeepClone());
                continue;
            }
            SetTopLevel(result, schema, key, value, ref members);
        }

        foreach (var (_, key, values) in extensionObjects.OrderBy(e => e.Priority))
        {
            var extension = schema.FindExtension(key)!;
            if (JsonNodes.Get(result, key) is not JsonObject target)
            {
                target = JsonNodes.NewObject();
                result[key] = target;
            }
            foreach (var (attributeKey, attributeValue) in values)
            {
                var definition = extension.FindAttribute(attributeKey);
                if (definition is { Mutability: Mutability.ReadOnly or Mutability.WriteOnly }) continue;
                var coerced = ValueCoercion.Coerce(attributeValue, definition, $"{key}:{definition?.Name ?? attributeKey}");
                if (coerced is not null) JsonNodes.Set(target, definition?.Name ?? attributeKey, coerced);
            }
            if (target.Count == 0) result.Remove(key);
        }

        foreach (var required in schema.Core.Attributes.Where(a => a.Required))
        {
            if (JsonNodes.IsNullOrEmpty(JsonNodes.Get(result, required.Name)))
            {
                throw ScimException.InvalidValue($"\"{required.Name}\" is required.");
            }
        }
        result["schemas"] = new JsonArray(listedSchemas.Select(s => (JsonNode?)s).ToArray());
        schema.RefreshSchemas(result);
        return result;
    }

    private static void SetTopLevel(JsonObject result, ResourceSchema schema, string key, JsonNode? value, ref IReadOnlyList<MemberRef> members)
    {
        var definition = schema.FindTopLevelAttribute(key);
        if (definition is null)
        {
            // Custom attributes (OneLogin parameters) are kept as sent.
            if (!ValueCoercion.IsNull(value)) JsonNodes.Set(result, key, value!.DeepClone());
            return;
        }
        if (definition.Mutability is Mutability.ReadOnly or Mutability.WriteOnly) return;
        if (definition.Name == "members" && schema.Core.FindAttribute("members") is not null)
        {
            members = ValueCoercion.IsNull(value) ? [] : PatchEngine.ReadMembers(value);
            return;
        }
        var coerced = ValueCoercion.Coerce(value, definition, definition.Name);
        if (coerced is null) JsonNodes.Remove(result, definition.Name);
        else JsonNodes.Set(result, definition.Name, coerced);
    }

    /// <summary>
    /// Maps a pre-RFC schema URN prefix to the RFC one: <c>urn:scim:schemas:extension:enterprise:2.0</c> to the
    /// enterprise extension, <c>urn:scim:schemas:core:2.0</c> to the resource's core schema. Other text is returned
    /// as it is (the same instance).
    /// </summary>
    public static string MapLegacyUrnPrefix(string text, ResourceSchema schema)
    {
        if (!ResourceSchema.IsUrn(text) || !text.StartsWith("urn:scim:", StringComparison.OrdinalIgnoreCase)) return text;
        string[] enterprise = [ScimConstants.LegacyEnterpriseSchema, ScimConstants.LegacyEnterpriseSchemaV1];
        string[] core = [ScimConstants.LegacyCoreSchema, ScimConstants.LegacyCoreSchemaV1];
        foreach (var legacy in enterprise)
        {
            if (HasPrefix(text, legacy) && schema.FindExtension(ScimConstants.EnterpriseUserSchema) is not null)
            {
                return ScimConstants.EnterpriseUserSchema + text[legacy.Length..];
            }
        }
        foreach (var legacy in core)
        {
            if (HasPrefix(text, legacy)) return schema.Core.Id + text[legacy.Length..];
        }
        return text;
    }

    private static bool HasPrefix(string text, string prefix)
        => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (text.Length == prefix.Length || text[prefix.Length] == ':');
}
