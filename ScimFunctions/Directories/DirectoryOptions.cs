using Microsoft.Extensions.Configuration;
using ScimFunctions.Configuration;

namespace ScimFunctions.Directories;

/// <summary>Where directories are kept, how their SCIM base URLs are shown, and how deleted ones are purged.</summary>
public sealed class DirectoryOptions
{
    public string DirectoriesTableName { get; set; } = "scimdirectories";

    /// <summary>Public base URL (scheme and host) for SCIM base URLs; null derives it from the request.</summary>
    [ConfigurationKeyName(AppSettingNames.PublicBaseUrl)]
    public string? PublicBaseUrl { get; set; }

    /// <summary>The table whose partition per directory holds the SCIM data removed after a delete.</summary>
    public string ScimDataTableName { get; set; } = Storage.ScimStorageOptions.DefaultTableName;

    /// <summary>Most data rows one purge run deletes, so a run stays short and the next one resumes.</summary>
    public int PurgeRowsPerRun { get; set; } = 5_000;
}
