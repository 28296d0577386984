namespace ScimFunctions.Provisioning;

/// <summary>
/// A list or search request (RFC 7644 §3.4.2, §3.4.3; RFC 9865 cursors). <see cref="Cursor"/> is null for
/// index paging; an empty cursor asks for the first page of cursor paging.
/// </summary>
public sealed record ListRequest
{
    public string? Filter { get; init; }
    public string? SortBy { get; init; }
    public string? SortOrder { get; init; }
    public int? StartIndex { get; init; }
    public int? Count { get; init; }
    public string? Cursor { get; init; }
    public AttributeSelection Selection { get; init; } = AttributeSelection.All;
}
