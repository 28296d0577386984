using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning;

internal static class UserActivity
{
    /// <summary><c>active</c> as stored; null when the user has none.</summary>
    public static bool? Of(JsonObject user) => JsonNodes.TryGetBoolean(JsonNodes.Get(user, "active"), out var active) ? active : null;
}
