using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.Provisioning;

/// <summary>A resource as a response carries it: the projected body, its version (the ETag) and its URL.
/// <see cref="Body"/> is null when no body is to be sent (the client already holds this version, or asked for
/// none). A group's <see cref="Members"/>, when set, are not in <see cref="Body"/>: they are written after it,
/// streaming (<see cref="WriteAsync"/>).</summary>
public sealed record RenderedResource(string Id, string Version, string Location, JsonObject? Body)
{
    public StreamedMembers? Members { get; init; }

    /// <summary>Writes the body, then the streamed members, as one JSON object.</summary>
    public async Task WriteAsync(Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in Body ?? [])
        {
            writer.WritePropertyName(name);
            if (value is null) writer.WriteNullValue();
            else value.WriteTo(writer);
        }
        if (Members is { } members) await members.WriteAsync(writer, cancellationToken);
        writer.WriteEndObject();
    }

    /// <summary>The same resource with its members read into <see cref="Body"/> (for callers that need the whole value).</summary>
    public async Task<RenderedResource> MaterialisedAsync()
    {
        if (Members is null || Body is null) return this;
        var members = await Members.ToArrayAsync();
        var body = Body.DeepClone().AsObject();
        if (members.Count > 0) body[ScimResourceType.Group.MembershipAttribute] = members;
        return this with { Body = body, Members = null };
    }
}
