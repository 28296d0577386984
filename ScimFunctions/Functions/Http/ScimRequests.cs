using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Functions.Activity;
using ScimFunctions.Provisioning;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>Reading a SCIM request: its JSON body, list parameters, preconditions and preferences.</summary>
public static class ScimRequests
{
    public const string PreferHeader = "Prefer";
    public const string SearchRequestSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /// <summary>
    /// The body as a JSON object. Over <see cref="ScimLimits.MaxRequestBodyBytes"/> is 413 (read no further than
    /// that), a media type other than application/scim+json or application/json is 415, a body sent too slowly is
    /// <see cref="RequestTimeoutException"/> (408), broken chunked framing is 400 invalidSyntax, and anything that
    /// is not a JSON object is 400 invalidSyntax.
    /// </summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ScimJson.IsSupportedContentType(request.ContentType))
        {
            throw ScimException.UnsupportedMediaType("Send the body as application/scim+json or application/json.");
        }
        if (request.ContentLength > ScimLimits.MaxRequestBodyBytes) throw BodyTooLarge();
        // One pooled buffer per request rather than a fresh mebibyte; one byte more than the limit tells "too large".
        var buffer = ArrayPool<byte>.Shared.Rent(ScimLimits.MaxRequestBodyBytes + 1);
        try
        {
            var length = await ReadUpToAsync(request.Body, buffer.AsMemory(0, ScimLimits.MaxRequestBodyBytes + 1), cancellationToken);
            if (length > ScimLimits.MaxRequestBodyBytes) throw BodyTooLarge();
            var body = ScimJson.ParseObject(buffer.AsSpan(0, length));
            ActivityCapture.Body(request, body);
            return body;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReadUpToAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        try
        {
            while (length < buffer.Length)
            {
                var read = await body.ReadAsync(buffer[length..], cancellationToken);
                if (read == 0) break;
                length += read;
            }
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw new RequestTimeoutException("The request body arrived too slowly; send it again.", failure);
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw BodyTooLarge();
        }
        catch (BadHttpRequestException)
        {
            // Malformed chunked framing and other broken bodies: the server could not read what was sent.
            throw ScimException.InvalidSyntax("The request body could not be read: its framing (chunked encoding or length) is invalid.");
        }
        return length;
    }

    private static ScimException BodyTooLarge() =>
        ScimException.PayloadTooLarge($"The request body is larger than {ScimLimits.MaxRequestBodyBytes} bytes (1 MiB).");

    public static string? IfMatch(HttpRequest request) => HeaderValue(request, "If-Match");

    public static string? IfNoneMatch(HttpRequest request) => HeaderValue(request, "If-None-Match");

    /// <summary>True when the client asked for no body (RFC 7240 <c>Prefer: return=minimal</c>).</summary>
    public static bool WantsMinimalResponse(HttpRequest request) => Prefers(request, "return=minimal");

    /// <summary>True when the client asked for the resource in the answer (RFC 7240 <c>Prefer: return=representation</c>).</summary>
    public static bool WantsRepresentation(HttpRequest request) => Prefers(request, "return=representation");

    private static bool Prefers(HttpRequest request, string preference) =>
        request.Headers[PreferHeader].Any(value => value is not null && value
            .Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(token => token.Replace(" ", "").Equals(preference, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The <c>attributes</c> / <c>excludedAttributes</c> query parameters, checked by <see cref="ListParameters"/>.</summary>
    public static AttributeSelection Selection(HttpRequest request) => ListParameters.Checked(new AttributeSelection(
        Projection.ParseList(request.Query["attributes"].ToString()),
        Projection.ParseList(request.Query["excludedAttributes"].ToString())));

    /// <summary>Whether the query string selects attributes (then a PATCH answers with the resource).</summary>
    public static bool SelectsAttributes(HttpRequest request) =>
        !string.IsNullOrWhiteSpace(request.Query["attributes"].ToString()) || !string.IsNullOrWhiteSpace(request.Query["excludedAttributes"].ToString());

    /// <summary>The list parameters of a <c>GET</c> list, checked by <see cref="ListParameters"/> as a search body's are.</summary>
    public static ListRequest ListFromQuery(HttpRequest request)
    {
        var query = request.Query;
        return ListParameters.Checked(new ListRequest
        {
            Filter = Text(query["filter"].ToString()),
            SortBy = Text(query["sortBy"].ToString()),
            SortOrder = Text(query["sortOrder"].ToString()),
            StartIndex = ListParameters.Integer(query["startIndex"].ToString(), "startIndex"),
            Count = ListParameters.Integer(query["count"].ToString(), "count"),
            Cursor = query.ContainsKey("cursor") ? query["cursor"].ToString() : null,
            Selection = Selection(request),
        });
    }

    /// <summary>The body of a <c>POST …/.search</c> (RFC 7644 §3.4.3), checked by <see cref="ListParameters"/> as a
    /// query string's are; attribute lists may be arrays or comma-separated text, numbers may be JSON numbers or text.</summary>
    public static ListRequest ListFromSearchBody(JsonObject body)
    {
        if (JsonNodes.Get(body, "schemas") is JsonArray schemas
            && !schemas.Any(s => JsonNodes.TryGetString(s, out var urn) && urn.Equals(SearchRequestSchema, StringComparison.OrdinalIgnoreCase)))
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"A search body's schemas must contain \"{SearchRequestSchema}\".");
        }
        return ListParameters.Checked(new ListRequest
        {
            Filter = BodyText(body, "filter"),
            SortBy = BodyText(body, "sortBy"),
            SortOrder = BodyText(body, "sortOrder"),
            StartIndex = BodyInteger(body, "startIndex"),
            Count = BodyInteger(body, "count"),
            Cursor = JsonNodes.Get(body, "cursor") is null ? null : BodyText(body, "cursor") ?? "",
            Selection = new AttributeSelection(BodyList(body, "attributes"), BodyList(body, "excludedAttributes")),
        });
    }

    private static string? HeaderValue(HttpRequest request, string name)
    {
        var value = request.Headers[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static string? Text(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? BodyText(JsonObject body, string name)
    {
        var node = JsonNodes.Get(body, name);
        if (node is null || ValueCoercionIsNull(node)) return null;
        return JsonNodes.TryGetString(node, out var text)
            ? Text(text)
            : throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{name}\" must be a string.");
    }

    private static int? BodyInteger(JsonObject body, string name)
    {
        var node = JsonNodes.Get(body, name);
        if (node is null || ValueCoercionIsNull(node)) return null;
        // A JSON number is read as its text, so 1e3, 2.5 or a 12-digit count mean what they mean in a query string.
        if (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number) return ListParameters.Integer(value.ToJsonString(), name);
        if (JsonNodes.TryGetString(node, out var text)) return ListParameters.Integer(text, name);
        throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{name}\" must be an integer.");
    }

    private static IReadOnlyList<string> BodyList(JsonObject body, string name) => JsonNodes.Get(body, name) switch
    {
        null => [],
        JsonArray items => items.Select(item => JsonNodes.TryGetString(item, out var text)
                ? text.Trim()
                : throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{name}\" must list attribute names as strings."))
            .Where(text => text.Length > 0).ToList(),
        var node when JsonNodes.TryGetString(node, out var text) => Projection.ParseList(text),
        var node when ValueCoercionIsNull(node) => [],
        _ => throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{name}\" must be an array of attribute names."),
    };

    private static bool ValueCoercionIsNull(JsonNode node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Null;
}
