using System.Text.Json.Nodes;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning.Ports;

/// <summary>The documents of one resource type (users or groups) of every directory, as the use cases write
/// and read them: each write is one transaction with its index rows, guarded by a version where it says so.</summary>
public interface IResourceDocuments
{
    /// <summary>Stores a new resource under a fresh server id.</summary>
    /// <exception cref="UniquenessConflictException"></exception>
    Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, CancellationToken cancellationToken = default);

    /// <summary>Null when there is no such resource in this directory.</summary>
    Task<StoredResource?> GetAsync(string directoryId, string id, CancellationToken cancellationToken = default);

    /// <summary>Read-modify-write with optimistic concurrency, retried from a fresh read when another write got in
    /// between and <paramref name="ifMatch"/> is not a strict version; <paramref name="apply"/> may run more than once.</summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    Task<StoredResource> UpdateAsync(string directoryId, string id, Func<JsonObject, JsonObject> apply, string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces <paramref name="current"/>, as just read, by <paramref name="replacement"/> in one write
    /// guarded by its version (no read).</summary>
    /// <exception cref="VersionMismatchException">another write got in since it was read</exception>
    Task<StoredResource> WriteAsync(string directoryId, StoredResource current, JsonObject replacement, CancellationToken cancellationToken = default);

    /// <summary>Deletes the resource and every membership of it.</summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    Task DeleteAsync(string directoryId, string id, string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <exception cref="InvalidCursorException"></exception>
    Task<ResourcePage> ListAsync(string directoryId, ResourceQuery query, CancellationToken cancellationToken = default);
}
