using System.Text.Json.Nodes;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Provisioning;

/// <summary>One resource type's documents in memory, counting reads and writes.</summary>
public sealed class FakeDocuments(string resourceType) : IResourceDocuments
{
    private readonly Dictionary<string, StoredResource> _items = new(StringComparer.Ordinal);
    private int _versions;

    public int Gets { get; private set; }
    public int Writes { get; private set; }
    public int Updates { get; private set; }

    public StoredResource Add(JsonObject document) => Store(Guid.NewGuid().ToString("N"), document);

    public StoredResource Store(string id, JsonObject document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("meta");
        copy.Remove("members"); // memberships are not part of a stored document
        copy["id"] = id;
        var version = $"W/\"{++_versions}\"";
        copy["meta"] = new JsonObject { ["resourceType"] = resourceType, ["version"] = version };
        return _items[id] = new StoredResource(id, copy, version, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
    }

    public Task<StoredResource?> GetAsync(string directoryId, string id, CancellationToken cancellationToken = default)
    {
        Gets++;
        return Task.FromResult(_items.GetValueOrDefault(id));
    }

    public Task<StoredResource> WriteAsync(string directoryId, StoredResource current, JsonObject replacement, CancellationToken cancellationToken = default)
    {
        Writes++;
        if (_items[current.Id].Version != current.Version) throw new VersionMismatchException(resourceType, current.Id);
        return Task.FromResult(Store(current.Id, replacement));
    }

    public Task<StoredResource> UpdateAsync(string directoryId, string id, Func<JsonObject, JsonObject> apply, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        Updates++;
        return Task.FromResult(Store(id, apply(_items[id].Document.DeepClone().AsObject())));
    }

    public Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, CancellationToken cancellationToken = default) => Task.FromResult(Add(resource));

    public Task DeleteAsync(string directoryId, string id, string? ifMatch = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ResourcePage> ListAsync(string directoryId, ResourceQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
