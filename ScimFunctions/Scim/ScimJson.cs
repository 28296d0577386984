using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ScimFunctions.Scim;

/// <summary>
/// The one JSON setup for SCIM: reads bodies sent as application/scim+json or application/json, writes
/// application/scim+json.
/// </summary>
public static class ScimJson
{
    /// <summary>Deep enough for any SCIM document; shallow enough that hostile nesting is refused early.</summary>
    public const int MaxDepth = ScimInputLimits.MaxDepth;

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The Content-Type to write on every SCIM response.</summary>
    public const string ResponseContentType = ScimConstants.ScimMediaType + "; charset=utf-8";

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = MaxDepth,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ScimJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// True for application/scim+json and application/json (any parameters, any case). A missing
    /// Content-Type is accepted too, because some IdPs omit it on bodies they send.
    /// </summary>
    public static bool IsSupportedContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals(ScimConstants.ScimMediaType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals(ScimConstants.JsonMediaType, StringComparison.OrdinalIgnoreCase);
    }

    public static JsonObject ParseObject(string text) => ParseObject(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Parses a request body that must be a JSON object, fully and strictly (see <see cref="ScimJsonReader"/>):
    /// anything else is 400 invalidSyntax. The objects returned look names up case-insensitively.
    /// </summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
        => ScimJsonReader.Parse(utf8) as JsonObject ?? throw ScimException.InvalidSyntax("The request body must be a JSON object.");

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScimListResponse))]
[JsonSerializable(typeof(PatchRequest))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ScimJsonContext : JsonSerializerContext;
