using Microsoft.Extensions.Configuration;

namespace ScimFunctions.Configuration;

public static class AppSettings
{
    /// <summary>
    /// Reads an app setting by its app-setting name. App settings arrive as environment variables, where
    /// <c>A__b</c> becomes the configuration key <c>A:b</c>; this lookup makes both spellings the same.
    /// </summary>
    public static string? GetAppSetting(this IConfiguration configuration, string name) =>
        configuration[name.Replace("__", ":", StringComparison.Ordinal)];
}
