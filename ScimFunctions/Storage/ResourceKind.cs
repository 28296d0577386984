using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>What differs between users and groups in storage: key prefixes, the unique attribute, the
/// attribute kept in membership rows rather than in the document, and what <c>display</c> shows.</summary>
public sealed class ResourceKind
{
    public static readonly ResourceKind User = new(
        "User", 'u', PartitionLayout.UserPrefix, PartitionLayout.UserNamePrefix, PartitionLayout.UserExternalIdPrefix, "userName", "groups");

    public static readonly ResourceKind Group = new(
        "Group", 'g', PartitionLayout.GroupPrefix, PartitionLayout.GroupNamePrefix, PartitionLayout.GroupExternalIdPrefix, "displayName", "members");

    private ResourceKind(string resourceType, char code, string documentPrefix, string uniqueNamePrefix,
        string externalIdPrefix, string uniqueAttribute, string membershipAttribute)
    {
        ResourceType = resourceType;
        Code = code;
        DocumentPrefix = documentPrefix;
        UniqueNamePrefix = uniqueNamePrefix;
        ExternalIdPrefix = externalIdPrefix;
        UniqueAttribute = uniqueAttribute;
        MembershipAttribute = membershipAttribute;
    }

    /// <summary><c>meta.resourceType</c>.</summary>
    public string ResourceType { get; }

    /// <summary>One character naming the kind inside cursors.</summary>
    internal char Code { get; }

    public string DocumentPrefix { get; }
    public string UniqueNamePrefix { get; }
    public string ExternalIdPrefix { get; }

    /// <summary><c>userName</c> or group <c>displayName</c>: unique per directory, case-insensitively.</summary>
    public string UniqueAttribute { get; }

    /// <summary><c>groups</c> of a user or <c>members</c> of a group: lives in membership rows, never in the document.</summary>
    public string MembershipAttribute { get; }

    public string DocumentKey(string id) => PartitionLayout.Document(this, id);
    public string UniqueNameKey(string name) => PartitionLayout.UniqueName(this, name);
    public string ExternalIdRangeStart(string externalId) => PartitionLayout.ExternalIdRangeStart(this, externalId);
    public string ExternalIdKey(string externalId, string id) => PartitionLayout.ExternalId(this, externalId, id);
    public string DeletingKey(string id) => PartitionLayout.Deleting(this, id);

    /// <summary>What the other side of a membership shows: a user's displayName, else its userName; a group's displayName.</summary>
    public string? DisplayOf(JsonObject document) =>
        StringOf(document, "displayName") is { Length: > 0 } display ? display : StringOf(document, UniqueAttribute);

    /// <summary>A string attribute, found case-insensitively (SCIM attribute names are).</summary>
    internal static string? StringOf(JsonObject document, string attribute) =>
        Find(document, attribute) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static JsonNode? Find(JsonObject document, string attribute)
    {
        if (document.TryGetPropertyValue(attribute, out var exact)) return exact;
        foreach (var (name, node) in document)
        {
            if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase)) return node;
        }
        return null;
    }

    internal static void Remove(JsonObject document, string attribute)
    {
        foreach (var name in document.Select(p => p.Key).Where(n => string.Equals(n, attribute, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            document.Remove(name);
        }
    }
}
