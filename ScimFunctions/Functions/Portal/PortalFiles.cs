using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace ScimFunctions.Functions.Portal;

/// <summary>
/// The portal's static files, embedded in the assembly from <c>Portal/wwwroot/</c> (logical names
/// <c>portal/{relative path}</c>), loaded once with their media type and a content-hash ETag. Only embedded
/// names are served, so no request path reaches the file system.
/// </summary>
public sealed class PortalFiles
{
    public const string ResourcePrefix = "portal/";
    public const string Index = "index.html";

    private static readonly FrozenDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".txt"] = "text/plain; charset=utf-8",
        [".woff2"] = "font/woff2",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, PortalFile> files;

    public PortalFiles() : this(typeof(PortalFiles).Assembly)
    {
    }

    public PortalFiles(Assembly assembly)
    {
        var found = new Dictionary<string, PortalFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // RecursiveDir carries the build machine's separator; paths are served with '/'.
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var relative = path[ResourcePrefix.Length..];
            found[relative] = new PortalFile(content, MediaTypeOf(relative), "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"");
        }
        files = found.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int Count => files.Count;

    /// <summary>The file at <paramref name="path"/> (relative to <c>/portal/</c>; empty is the index), or null.</summary>
    public PortalFile? Find(string? path) => files.GetValueOrDefault(string.IsNullOrEmpty(path) ? Index : path);

    private static string MediaTypeOf(string path) => MediaTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
}
