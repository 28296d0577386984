using System.Text.Json.Serialization;

namespace ScimFunctions.Tests.EndToEnd.BadInput;

/// <summary>One row of corpus.json: a request and the answer RFC 7644 expects for it.</summary>
public sealed record BadInputCase(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("bodyBase64")] string? BodyBase64,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("scimType")] string? ScimType);
