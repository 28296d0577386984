using Microsoft.Extensions.Logging;
using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>Recomputes users' roles from current state.</summary>
public interface IRoleRecomputer
{
    Task<RecomputeOutcome> RecomputeAsync(string directoryId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);
}
