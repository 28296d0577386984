using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ScimFunctions.Provisioning.Ports;

namespace ScimFunctions.Storage;

/// <summary>
/// Users or groups of every directory, in one table: reads (<see cref="ResourceReader"/>), writes
/// (<see cref="ResourceWriter"/>), deletes (<see cref="ResourceDeleter"/>) and lists (<see cref="ResourceLister"/>)
/// of one kind, over one entity mapping (<see cref="ResourceEntityMapper"/>). Memberships live in rows
/// (<see cref="MembershipStore"/>), never in the documents.
/// </summary>
public sealed class ResourceStore : IResourceDocuments
{
    /// <summary>A user's <c>active</c> as an entity property, so role recomputation reads one property, not the document.</summary>
    public const string ActiveProperty = ResourceEntityMapper.ActiveProperty;

    private readonly ResourceReader _reader;
    private readonly EmailLookup _emails;
    private readonly ResourceWriter _writer;
    private readonly ResourceDeleter _deleter;
    private readonly MembershipCleanup _memberships;
    private readonly ResourceLister _lister;

    internal ResourceStore(TableClient table, ResourceKind kind, ScimStorageOptions options, MembershipCleanup memberships, ListPositionsCache positions, CountShards counts, TimeProvider time, ILogger logger)
    {
        Kind = kind;
        var mapper = new ResourceEntityMapper(kind);
        _reader = new ResourceReader(table, mapper);
        _emails = new EmailLookup(table, mapper, _reader);
        _writer = new ResourceWriter(table, mapper, _reader, memberships, positions, counts, options, time, logger);
        _memberships = memberships;
        _deleter = new ResourceDeleter(table, kind, _reader, memberships, positions, counts, options, time, logger);
        _lister = new ResourceLister(table, mapper, _reader, positions);
    }

    public ResourceKind Kind { get; }

    /// <summary>Stores a new resource under a fresh server id (1 transaction). The unique attribute must be a non-empty string.</summary>
    /// <exception cref="UniquenessConflictException">the unique attribute is taken</exception>
    /// <exception cref="DocumentTooLargeException">the document exceeds <see cref="DocumentCodec.MaxDocumentBytes"/></exception>
    /// <exception cref="InvalidStoreValueException">the unique attribute is missing, or externalId is not a string</exception>
    public Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, CancellationToken cancellationToken = default) =>
        _writer.CreateAsync(directoryId, resource, cancellationToken);

    /// <summary>A create whose transaction also commits <paramref name="alongside"/>, made from the new id, display and time.</summary>
    internal Task<StoredResource> CreateAsync(string directoryId, JsonObject resource, Func<string, string?, DateTimeOffset, IEnumerable<TableTransactionAction>> alongside, CancellationToken cancellationToken) =>
        _writer.CreateAsync(directoryId, resource, cancellationToken, alongside);

    /// <summary>One point read. Null when there is no such resource in this directory.</summary>
    public Task<StoredResource?> GetAsync(string directoryId, string id, CancellationToken cancellationToken = default) =>
        _reader.GetAsync(directoryId, id, cancellationToken);

    /// <summary>The resource whose unique attribute equals <paramref name="name"/> case-insensitively: 2 point reads.</summary>
    public Task<StoredResource?> FindByUniqueNameAsync(string directoryId, string name, CancellationToken cancellationToken = default) =>
        _reader.FindByUniqueNameAsync(directoryId, name, cancellationToken);

    /// <summary>Resources with this externalId (case-exact; not unique): one index range read plus a point read per match.</summary>
    public Task<IReadOnlyList<StoredResource>> FindByExternalIdAsync(string directoryId, string externalId, CancellationToken cancellationToken = default) =>
        _reader.FindByExternalIdAsync(directoryId, externalId, cancellationToken);

    /// <summary>Users holding this email, case-insensitively (see <see cref="EmailLookup"/> for the cost and its
    /// bound); <paramref name="indexedFromStart"/>: the directory never held a user from before the index.</summary>
    public Task<EmailMatches> FindByEmailAsync(string directoryId, string email, bool indexedFromStart, CancellationToken cancellationToken = default) =>
        _emails.FindAsync(directoryId, email, indexedFromStart, cancellationToken);

    /// <summary>Replaces the whole document (PUT): attributes left out are gone; id, meta and the membership
    /// attribute of <paramref name="resource"/> are ignored.</summary>
    public Task<StoredResource> ReplaceAsync(string directoryId, string id, JsonObject resource, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(directoryId, id, _ => resource, ifMatch, cancellationToken);

    /// <summary>
    /// Read-modify-write with optimistic concurrency (1 read + 1 transaction): <paramref name="apply"/> gets the
    /// current document (a copy, with id and meta) and returns the new one. When another write got in between,
    /// the update is retried from a fresh read if the caller gave no <paramref name="ifMatch"/>, or fails with
    /// <see cref="VersionMismatchException"/> if it did. <paramref name="apply"/> may run more than once.
    /// </summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    /// <exception cref="UniquenessConflictException"></exception>
    /// <exception cref="DocumentTooLargeException"></exception>
    /// <exception cref="InvalidStoreValueException"></exception>
    public Task<StoredResource> UpdateAsync(string directoryId, string id, Func<JsonObject, JsonObject> apply, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        _writer.UpdateAsync(directoryId, id, apply, ifMatch, cancellationToken);

    /// <summary>Replaces <paramref name="current"/>, as the caller has just read it, by <paramref name="replacement"/>:
    /// 1 transaction guarded by the version read, no read.</summary>
    /// <exception cref="VersionMismatchException">another write got in since it was read</exception>
    public Task<StoredResource> WriteAsync(string directoryId, StoredResource current, JsonObject replacement, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(directoryId, current, replacement, cancellationToken);

    /// <summary>A write whose transaction also commits <paramref name="alongside"/>, made from the new display, the time and the index of its first operation.</summary>
    internal Task<StoredResource> WriteAsync(string directoryId, StoredResource current, JsonObject replacement, Func<string?, DateTimeOffset, int, IEnumerable<TableTransactionAction>> alongside, CancellationToken cancellationToken) =>
        _writer.WriteAsync(directoryId, current, replacement, cancellationToken, alongside);

    /// <summary>Deletes the resource, its index rows and all its memberships (both directions); see <see cref="ResourceDeleter"/>.</summary>
    /// <exception cref="ResourceNotFoundException"></exception>
    /// <exception cref="VersionMismatchException"></exception>
    public Task DeleteAsync(string directoryId, string id, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        _deleter.DeleteAsync(directoryId, id, ifMatch, cancellationToken);

    /// <summary>Finishes renames whose copy of the new display onto membership rows was interrupted (the periodic sweep). Returns how many.</summary>
    public Task<int> ResumeDisplayRefreshesAsync(string directoryId, CancellationToken cancellationToken = default) =>
        _memberships.ResumeRefreshesAsync(directoryId, Kind, cancellationToken);

    /// <summary>Finishes deletes whose membership cleanup was interrupted (the periodic sweep). Returns how many.</summary>
    public Task<int> ResumePendingDeletesAsync(string directoryId, CancellationToken cancellationToken = default) =>
        _deleter.ResumePendingDeletesAsync(directoryId, cancellationToken);

    /// <summary>Lists resources (see <see cref="ResourceLister"/> for the cost of each strategy).</summary>
    /// <exception cref="InvalidCursorException"></exception>
    public Task<ResourcePage> ListAsync(string directoryId, ResourceQuery query, CancellationToken cancellationToken = default) =>
        _lister.ListAsync(directoryId, query, cancellationToken);
}
