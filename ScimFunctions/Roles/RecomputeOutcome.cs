using Microsoft.Extensions.Logging;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>How many users were recomputed and how many of them ended with a different role set.</summary>
public sealed record RecomputeOutcome(int Users, int Changed);
