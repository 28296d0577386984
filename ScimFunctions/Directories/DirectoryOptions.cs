using Microsoft.Extensions.Configuration;
using ScimFunctions.Configuration;

namespace ScimFunctions.Directories;

/// <summary>Where directories are kept, how their SCIM base URLs are shown, and how deleted ones are purged.</summary>
public sealed class DirectoryOptions
{
    public string DirectoriesTableName { get; set; } = "scimdirectories";

    /// <summary>Public base URL (scheme and host) for SCIM base URLs and <c>Location</c> headers. Required outside
    /// Development (in Azure the infra sets it from the app's default host name); in Development, null takes the
    /// scheme and host of the request, which a client chooses and so is trusted nowhere else.</summary>
    [ConfigurationKeyName(AppSettingNames.PublicBaseUrl)]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Whether the request's host may stand in for <see cref="PublicBaseUrl"/>: only in Development.</summary>
    public bool AllowRequestHost { get; set; }

    /// <summary>The table whose partition per directory holds the SCIM data removed after a delete.</summary>
    public string ScimDataTableName { get; set; } = Storage.ScimStorageOptions.DefaultTableName;

    /// <summary>Most data rows one purge run deletes, so a run stays short and the next one resumes.</summary>
    public int PurgeRowsPerRun { get; set; } = 5_000;
}
