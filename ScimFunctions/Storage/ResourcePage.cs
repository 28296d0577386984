namespace ScimFunctions.Storage;

/// <summary>One page of a list. <see cref="TotalResults"/> is null in cursor mode, where counting would
/// cost a scan of the whole directory. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ResourcePage(IReadOnlyList<StoredResource> Resources, int? TotalResults, string? NextCursor);
