using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

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
