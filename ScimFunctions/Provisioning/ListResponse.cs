using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning;

/// <summary>
/// A ListResponse page (RFC 7644 §3.4.2) whose groups' members may still be streaming from storage: the page's
/// shape (which resources, <c>itemsPerPage</c>, <c>nextCursor</c>) is fixed before a byte is written, so only the
/// member rows of a first group larger than the page's member budget are read while writing.
/// </summary>
public sealed class ListResponse(int? totalResults, int? startIndex, string? nextCursor, IReadOnlyList<RenderedResource> resources) : IAsyncDisposable
{
    /// <summary>Null in cursor paging, where counting would scan the directory.</summary>
    public int? TotalResults { get; } = totalResults;

    /// <summary>Null in cursor paging.</summary>
    public int? StartIndex { get; } = startIndex;

    public int ItemsPerPage => Resources.Count;
    public string? NextCursor { get; } = nextCursor;
    public IReadOnlyList<RenderedResource> Resources { get; } = resources;

    /// <summary>Whether the page's member or group budget left out resources read for it (so it holds fewer
    /// than it could; a mixed root search must then not fill it with the other type).</summary>
    public bool EndedByBudget { get; init; }

    public async Task WriteAsync(Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(ScimConstants.ListResponseSchema);
        writer.WriteEndArray();
        if (TotalResults is { } total) writer.WriteNumber("totalResults", total);
        if (StartIndex is { } start) writer.WriteNumber("startIndex", start);
        writer.WriteNumber("itemsPerPage", ItemsPerPage);
        if (NextCursor is not null) writer.WriteString("nextCursor", NextCursor);
        writer.WriteStartArray("Resources");
        foreach (var resource in Resources) await resource.WriteAsync(writer, cancellationToken);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The whole page in memory (use-case tests).</summary>
    public async Task<JsonObject> ToJsonAsync()
    {
        var response = new JsonObject { ["schemas"] = new JsonArray(ScimConstants.ListResponseSchema) };
        if (TotalResults is { } total) response["totalResults"] = total;
        if (StartIndex is { } start) response["startIndex"] = start;
        response["itemsPerPage"] = ItemsPerPage;
        if (NextCursor is not null) response["nextCursor"] = NextCursor;
        var items = new JsonArray();
        foreach (var resource in Resources) items.Add((await resource.MaterialisedAsync()).Body);
        response["Resources"] = items;
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Resources)
        {
            if (resource.Members is { } members) await members.DisposeAsync();
        }
    }
}
