using System.Text.Json.Nodes;

namespace ScimFunctions.Scim;

/// <summary>The one rule for whether a user is active, used wherever that decides something (stored flag,
/// role recompute, signalling a change).</summary>
public static class UserActivity
{
    /// <summary>Only an explicit false (or the string "false" in any case, as some IdPs send it) makes a user
    /// inactive; a user without <c>active</c>, or with a value that is neither, is active.</summary>
    public static bool IsActive(JsonObject user) => IsActive(JsonNodes.Get(user, "active"));

    /// <summary>The rule applied to the value of <c>active</c> itself (null when absent).</summary>
    public static bool IsActive(JsonNode? active) => active switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) => !string.Equals(text.Trim(), "false", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };
}
