using System.Globalization;
using System.Text.Json.Nodes;

namespace ScimFunctions.Scim;

/// <summary>The RFC 7644 §3.12 error body. <c>status</c> is written as a string, as the RFC's examples show.</summary>
public sealed record ScimError(int Status, string? ScimType, string Detail)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.ErrorSchema),
            ["status"] = Status.ToString(CultureInfo.InvariantCulture),
        };
        if (ScimType is not null) body["scimType"] = ScimType;
        body["detail"] = Detail;
        return body;
    }
}
