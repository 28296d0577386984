using System.Text.Json;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Reads the <c>Values</c> of local.settings.json the way Core Tools applies them: as environment variables, so
/// <c>A__b</c> is the configuration key <c>A:b</c>.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";
    public const string SampleFileName = "local.settings.sample.json";

    /// <summary>local.settings.json from the working directory or beside the host; else the committed sample,
    /// so a fresh clone runs.</summary>
    public static string? Find(string? explicitPath)
    {
        if (explicitPath is not null) return File.Exists(explicitPath) ? explicitPath : throw new FileNotFoundException("Settings file not found.", explicitPath);
        string[] folders = [Directory.GetCurrentDirectory(), AppContext.BaseDirectory, .. Ancestors(AppContext.BaseDirectory)];
        foreach (var name in new[] { FileName, SampleFileName })
        {
            var match = folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
            if (match is not null) return match;
        }
        return null;
    }

    public static IReadOnlyDictionary<string, string?> ReadValues(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section))
        {
            foreach (var property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()
                    : property.Value.GetRawText();
            }
        }
        return values;
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var current = Directory.GetParent(folder); current is not null; current = current.Parent) yield return current.FullName;
    }
}
