using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimFunctions.Roles;

public static class RoleQueues
{
    /// <summary>The queue of recompute messages; the host moves a message that failed maxDequeueCount times to <c>role-recompute-poison</c>.</summary>
    public const string Recompute = "role-recompute";
    public const string RecomputePoison = Recompute + "-poison";
}
