using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.Scim;

/// <summary>
/// Reads a request body into a node tree in one pass, checking everything that would otherwise surface later
/// as a crash: invalid UTF-8 and lone surrogates (in names and values), duplicate keys (also ones differing
/// only in case, since SCIM names are case-insensitive), and the <see cref="ScimInputLimits"/> on depth,
/// object size and array size. Objects come out case-insensitive, so every lookup by name is one hash probe.
/// </summary>
internal static class ScimJsonReader
{
    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        // One more than the limit, so the limit is reported here with its own message, not the reader's.
        MaxDepth = ScimInputLimits.MaxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            if (!reader.Read()) throw ScimException.InvalidSyntax("The request body is empty.");
            var node = ReadValue(ref reader);
            if (reader.Read()) throw ScimException.InvalidSyntax("The request body holds more than one JSON value.");
            return node;
        }
        catch (JsonException e)
        {
            throw ScimException.InvalidSyntax($"The request body is not valid JSON: {e.Message}");
        }
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                CheckDepth(ref reader);
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                CheckDepth(ref reader);
                return ReadArray(ref reader);
            case JsonTokenType.String:
                return JsonValue.Create(ReadString(ref reader, "A string value"));
            case JsonTokenType.Number:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Null:
                return null;
            default:
                throw ScimException.InvalidSyntax($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static JsonObject ReadObject(ref Utf8JsonReader reader)
    {
        var result = JsonNodes.NewObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = ReadString(ref reader, "A key");
            if (result.Count >= ScimInputLimits.MaxObjectMembers)
            {
                throw ScimException.InvalidSyntax($"A JSON object in the request body has more than {ScimInputLimits.MaxObjectMembers} keys.");
            }
            if (result.ContainsKey(name))
            {
                throw ScimException.InvalidSyntax($"The key \"{Shorten(name)}\" appears more than once in one object (keys are case-insensitive).");
            }
            reader.Read();
            result.Add(name, ReadValue(ref reader));
        }
        return result;
    }

    private static JsonArray ReadArray(ref Utf8JsonReader reader)
    {
        var result = new JsonArray(NodeOptions);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (result.Count >= ScimInputLimits.MaxArrayElements)
            {
                throw ScimException.InvalidSyntax($"A JSON array in the request body has more than {ScimInputLimits.MaxArrayElements} elements.");
            }
            result.Add(ReadValue(ref reader));
        }
        return result;
    }

    private static void CheckDepth(ref Utf8JsonReader reader)
    {
        if (reader.CurrentDepth >= ScimInputLimits.MaxDepth)
        {
            throw ScimException.InvalidSyntax($"The request body nests objects and arrays deeper than {ScimInputLimits.MaxDepth} levels.");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 bytes, or an escaped lone surrogate such as "\ud800".
            throw ScimException.InvalidSyntax($"{what} in the request body is not valid Unicode text.");
        }
    }

    private static string Shorten(string text)
    {
        if (text.Length <= 64) return text;
        var cut = char.IsHighSurrogate(text[63]) ? 63 : 64;
        return text[..cut] + "...";
    }
}
