using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ScimFunctions.Scim;

namespace ScimFunctions.Storage;

/// <summary>
/// Turns a SCIM document into its table entity and back, for one kind. Documents never hold the membership
/// attribute (<c>members</c>, <c>groups</c>): memberships live in rows. The unique attribute, externalId and
/// display are also kept as entity properties (index rows and membership rows are built from them); a user's
/// <c>active</c> is kept as <see cref="ActiveProperty"/> so role recomputation reads one property.
/// </summary>
internal sealed class ResourceEntityMapper(ResourceKind kind)
{
    public const string NameProperty = "Name";
    public const string ExternalIdProperty = "ExternalId";
    public const string DisplayProperty = "Display";
    public const string CreatedProperty = "Created";
    public const string LastModifiedProperty = "LastModified";
    public const string IdProperty = "Id";
    public const string ActiveProperty = "Active";

    /// <summary>A user's folded emails that have index rows, joined by <c>|</c>; present (even empty) on every user written since the index exists.</summary>
    public const string IndexedEmailsProperty = "IndexedEmails";

    /// <summary>Emails indexed per user (keeps a write's transaction far below 100 actions); later ones are not found by look-up.</summary>
    public const int MaxIndexedEmails = 20;

    public ResourceKind Kind { get; } = kind;

    /// <summary>The document to store, without id-less or read-only parts, with the values its index rows need.</summary>
    /// <exception cref="InvalidStoreValueException">the unique attribute is missing, or externalId is not a string</exception>
    /// <exception cref="DocumentTooLargeException">the document exceeds <see cref="DocumentCodec.MaxDocumentBytes"/></exception>
    public PreparedDocument Prepare(JsonObject resource, string id)
    {
        var document = new JsonObject();
        foreach (var (name, node) in resource)
        {
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(name, "meta", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(name, Kind.MembershipAttribute, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            document[name] = node?.DeepClone();
        }
        document.Insert(0, "id", id);
        var uniqueName = ResourceKind.StringOf(document, Kind.UniqueAttribute);
        if (string.IsNullOrWhiteSpace(uniqueName))
        {
            throw new InvalidStoreValueException($"{Kind.ResourceType} requires a non-empty string '{Kind.UniqueAttribute}'.");
        }
        string? externalId = null;
        switch (ResourceKind.Find(document, "externalId"))
        {
            case null:
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                externalId = text;
                break;
            default:
                throw new InvalidStoreValueException("'externalId' must be a string.");
        }
        return new PreparedDocument(document, uniqueName, externalId, Kind.DisplayOf(document), DocumentCodec.Serialize(document), EmailsOf(document));
    }

    public TableEntity DocumentEntity(string partition, string id, PreparedDocument prepared, DateTimeOffset created, DateTimeOffset lastModified)
    {
        var entity = new TableEntity(partition, Kind.DocumentKey(id))
        {
            [NameProperty] = prepared.Name,
            [ExternalIdProperty] = prepared.ExternalId,
            [DisplayProperty] = prepared.Display,
            [CreatedProperty] = created,
            [LastModifiedProperty] = lastModified,
        };
        if (Kind == ResourceKind.User)
        {
            entity[ActiveProperty] = UserActivity.IsActive(prepared.Document);
            entity[IndexedEmailsProperty] = string.Join(PartitionLayout.Separator, prepared.Emails);
        }
        DocumentCodec.Write(entity, prepared.Utf8);
        return entity;
    }

    public TableEntity UniqueNameEntity(string partition, string name, string id) =>
        new(partition, Kind.UniqueNameKey(name)) { [IdProperty] = id };

    public StoredResource ToStored(TableEntity entity) =>
        ToStored(DocumentCodec.Read(entity), entity.ETag,
            entity.GetDateTimeOffset(CreatedProperty) ?? default,
            entity.GetDateTimeOffset(LastModifiedProperty) ?? default) with { EmailsIndexed = entity.ContainsKey(IndexedEmailsProperty) };

    /// <summary>The folded email values a stored user entity has index rows for (none before the index existed).</summary>
    public static IReadOnlyList<string> IndexedEmailsOf(TableEntity entity) =>
        entity.GetString(IndexedEmailsProperty) is { Length: > 0 } joined ? joined.Split(PartitionLayout.Separator) : [];

    /// <summary>Whether the user document holds <paramref name="email"/> among its <c>emails[].value</c>, case-insensitively.</summary>
    public static bool HasEmail(JsonObject document, string email) =>
        AllEmails(document).Any(value => string.Equals(value, email, StringComparison.OrdinalIgnoreCase));

    private IReadOnlyList<string> EmailsOf(JsonObject document) => Kind != ResourceKind.User
        ? []
        : [.. AllEmails(document).Where(value => value.Length > 0).Select(PartitionLayout.FoldedEmail).Distinct(StringComparer.Ordinal).Take(MaxIndexedEmails)];

    private static IEnumerable<string> AllEmails(JsonObject document) =>
        ResourceKind.Find(document, "emails") is JsonArray emails
            ? emails.OfType<JsonObject>().Select(entry => ResourceKind.Find(entry, "value")).OfType<JsonValue>()
                .Select(value => value.TryGetValue<string>(out var text) ? text : null).OfType<string>()
            : [];

    public StoredResource ToStored(JsonObject document, ETag etag, DateTimeOffset created, DateTimeOffset lastModified)
    {
        var version = ResourceVersion.FromETag(etag);
        var id = ResourceKind.StringOf(document, "id")!;
        document["meta"] = new JsonObject
        {
            ["resourceType"] = Kind.ResourceType,
            ["created"] = FormatTime(created),
            ["lastModified"] = FormatTime(lastModified),
            ["version"] = version,
        };
        // Every write since the email index exists indexes a user's emails; a read says so from the entity.
        return new StoredResource(id, document, version, created, lastModified, Kind == ResourceKind.User);
    }

    /// <summary>The same resource at a later version, after a write that changed only its version and
    /// <c>lastModified</c> (a membership change merges just those into the document entity).</summary>
    public StoredResource Touched(StoredResource resource, ETag etag, DateTimeOffset lastModified) =>
        ToStored(resource.Document.DeepClone().AsObject(), etag, resource.Created, lastModified) with { EmailsIndexed = resource.EmailsIndexed };

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
