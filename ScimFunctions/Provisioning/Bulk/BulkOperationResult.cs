using System.Globalization;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning.Bulk;

/// <summary>One entry of a BulkResponse's <c>Operations</c> (RFC 7644 §3.7): what the operation's own route would have
/// answered — status, the resource's location and new version, or the error body in <c>response</c>.</summary>
public sealed record BulkOperationResult(BulkOperation Operation, int Status, string? Location, string? Version, BulkFailure? Failure)
{
    public JsonObject ToJson()
    {
        var result = new JsonObject();
        if (Location is not null) result["location"] = Location;
        result["method"] = Operation.Method;
        if (Operation.BulkId is not null) result["bulkId"] = Operation.BulkId;
        if (Version is not null) result["version"] = Version;
        result["status"] = Status.ToString(CultureInfo.InvariantCulture);
        if (Failure is not null) result["response"] = new ScimError(Failure.Status, Failure.ScimType, Failure.Detail).ToJson();
        return result;
    }
}
