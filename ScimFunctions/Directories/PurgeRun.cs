using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimFunctions.Auth;

namespace ScimFunctions.Directories;

/// <summary>What one purge run did.</summary>
public sealed record PurgeRun(int RowsDeleted, IReadOnlyList<string> DirectoriesFinished);
