using System.Text.Json.Nodes;

namespace ScimFunctions.Functions.Http;

/// <summary>A response of the non-SCIM routes (<c>/health</c>, <c>/manage</c>): <c>application/json</c>.</summary>
public sealed class PlainJsonResult(int statusCode, JsonNode? body = null) : JsonBodyResult(statusCode, body, MediaTypeName)
{
    public const string MediaTypeName = "application/json";

    public PlainJsonResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
