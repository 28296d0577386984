namespace ScimFunctions.Storage;

/// <summary>Where the SCIM data lives: one table, one partition per directory.</summary>
public sealed class ScimStorageOptions
{
    public const string DefaultTableName = "ScimData";

    /// <summary>The configuration section the options are bound from (<c>Storage__TableName</c>, …).</summary>
    public const string Section = "Storage";

    public static bool IsValidTableName(string? name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>Table name (3-63 letters/digits, starting with a letter).</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>How many validation point reads run at once when members are added.</summary>
    public int MaxParallelReads { get; set; } = 16;

    /// <summary>Attempts of an optimistic read-modify-write when the caller gave no If-Match.</summary>
    public int MaxConcurrencyRetries { get; set; } = 8;

    /// <summary>How long an instance keeps a directory's list positions (total and page landmarks) for
    /// <c>startIndex</c> paging; zero scans on every request. Writes on the same instance refresh them at once.</summary>
    public TimeSpan ListPositionsLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Directory-and-kind entries of list positions kept per instance.</summary>
    public int ListPositionsCapacity { get; set; } = 1000;
}
