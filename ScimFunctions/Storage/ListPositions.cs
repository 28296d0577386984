namespace ScimFunctions.Storage;

/// <summary>
/// How many resources of one kind a directory holds, and every <see cref="Stride"/>-th document key in order
/// (the keys at positions 1, 1 + Stride, 1 + 2·Stride …). Index paging (<c>startIndex</c>) needs the total for
/// <c>totalResults</c> and the key at its start position; with these landmarks a page at any depth is one
/// range read starting at the landmark before it, reading at most <c>Stride − 1</c> rows more than the page.
/// </summary>
public sealed record ListPositions(int Total, IReadOnlyList<string> Landmarks)
{
    public const int Stride = 100;

    /// <summary>The landmark key at or before a 1-based position, and how many rows lie between it and the position.</summary>
    public (string Key, int Skip) LandmarkBefore(int position)
    {
        var landmark = (position - 1) / Stride;
        return (Landmarks[landmark], position - 1 - landmark * Stride);
    }
}
