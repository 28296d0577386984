using Microsoft.Azure.Functions.Worker;
using ScimFunctions.Directories;

namespace ScimFunctions.Functions.Management;

/// <summary>Removes deleted directories' data a bounded slice at a time; each run resumes where the last stopped.</summary>
public sealed class DirectoryPurgeFunction(DirectoryPurger purger)
{
    [Function("PurgeDeletedDirectories")]
    public Task Run([TimerTrigger("0 */10 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        purger.RunAsync(cancellationToken);
}
