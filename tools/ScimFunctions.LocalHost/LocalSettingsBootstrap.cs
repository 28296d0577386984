namespace ScimFunctions.LocalHost;

/// <summary>The run command's settings file: local.settings.json in the repository, created from the
/// committed sample the first time.</summary>
public static class LocalSettingsBootstrap
{
    public static string? EnsureSettingsFile(string? repositoryRoot, TextWriter output)
    {
        if (repositoryRoot is null) return LocalSettingsFile.Find(null);
        var settings = Path.Combine(repositoryRoot, LocalSettingsFile.FileName);
        var sample = Path.Combine(repositoryRoot, LocalSettingsFile.SampleFileName);
        if (!File.Exists(settings) && File.Exists(sample))
        {
            File.Copy(sample, settings);
            output.WriteLine($"Created {LocalSettingsFile.FileName} from the sample.");
        }
        return File.Exists(settings) ? settings : LocalSettingsFile.Find(null);
    }
}
