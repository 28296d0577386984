using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>
/// A resource as stored: the SCIM document with <c>id</c> and <c>meta</c> (resourceType, created,
/// lastModified, version) filled in; <c>meta.location</c> is left to the caller, which knows the base URL.
/// </summary>
public sealed record StoredResource(string Id, JsonObject Document, string Version, DateTimeOffset Created, DateTimeOffset LastModified);

/// <summary>An equality the store may answer from an index: <c>id</c>, <c>userName</c>, <c>externalId</c>,
/// <c>displayName</c> (indexed for groups; checked by scan for users). Compared as SCIM says: userName and
/// displayName case-insensitively, id and externalId exactly.</summary>
public sealed record IndexedEquality(string Attribute, string Value);

/// <summary>
/// A list request. <see cref="Equalities"/> (all must hold) narrow the candidates, <see cref="Predicate"/>
/// (the full filter, from the protocol core) is then evaluated on each document. Paging is either
/// index-based (<see cref="StartIndex"/>, 1-based, with <see cref="Count"/>) or, when
/// <see cref="Cursor"/> is not null, cursor-based (RFC 9865; an empty cursor asks for the first page).
/// </summary>
public sealed record ResourceQuery
{
    public IReadOnlyList<IndexedEquality> Equalities { get; init; } = [];
    public Func<JsonObject, bool>? Predicate { get; init; }
    public int StartIndex { get; init; } = 1;
    public int Count { get; init; } = 100;
    public string? Cursor { get; init; }
}

/// <summary>One page of a list. <see cref="TotalResults"/> is null in cursor mode, where counting would
/// cost a scan of the whole directory. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ResourcePage(IReadOnlyList<StoredResource> Resources, int? TotalResults, string? NextCursor);

/// <summary>One side of a membership as stored on the membership row: the other side's id and display.</summary>
public sealed record MembershipReference(string Id, string? Display);

/// <summary>One step of a membership change, as a PATCH or PUT expresses it.</summary>
public sealed record MembershipOperation(MembershipOperationKind Kind, IReadOnlyCollection<string> UserIds)
{
    public static MembershipOperation Add(params IEnumerable<string> userIds) => new(MembershipOperationKind.Add, userIds.ToArray());
    public static MembershipOperation Remove(params IEnumerable<string> userIds) => new(MembershipOperationKind.Remove, userIds.ToArray());
    public static MembershipOperation ReplaceAll(params IEnumerable<string> userIds) => new(MembershipOperationKind.ReplaceAll, userIds.ToArray());
    public static MembershipOperation RemoveAll() => new(MembershipOperationKind.RemoveAll, []);
}

public enum MembershipOperationKind { Add, Remove, ReplaceAll, RemoveAll }

/// <summary>What a membership change did: how many users it named to add and remove (after netting the
/// operations; re-adds count as adds), and the write transactions it took.</summary>
public sealed record MembershipChangeResult(int Added, int Removed, int Transactions);
