using System.Globalization;

namespace ScimFunctions.Benchmarks.Http;

public static class HttpArguments
{
    public const string StorageVariable = "SCIM_BENCH_STORAGE";

    public static bool TryParse(string[] args, out HttpBenchmarkOptions? options, out string? problem)
    {
        options = null;
        problem = null;
        var quick = false;
        int? users = null;
        int? sequentialUsers = null;
        var storage = Environment.GetEnvironmentVariable(StorageVariable);
        var output = "benchmark-results";
        var activityLog = true;
        int? coldStarts = null;
        var groupReadsOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--users": users = PositiveNumber(Value(), "--users", ref problem); break;
                case "--sequential-users": sequentialUsers = PositiveNumber(Value(), "--sequential-users", ref problem); break;
                case "--storage": storage = Value(); break;
                case "--cold-starts": coldStarts = WholeNumber(Value(), "--cold-starts", ref problem); break;
                case "--out": output = Value() ?? output; break;
                case "--group-reads-only": groupReadsOnly = true; break;
                case "--activity-log":
                    switch (Value())
                    {
                        case "on": activityLog = true; break;
                        case "off": activityLog = false; break;
                        default: problem = "--activity-log needs on or off"; break;
                    }
                    break;
                default: problem = $"unknown option {args[i]}"; break;
            }
            if (problem is not null) return false;
        }
        if (string.IsNullOrWhiteSpace(storage))
        {
            problem = $"no storage: pass --storage or set {StorageVariable} (scripts/benchmark.sh does both Azurite and this)";
            return false;
        }
        var userCount = users ?? (quick ? 300 : 100_000);
        options = new HttpBenchmarkOptions
        {
            StorageConnectionString = storage,
            Quick = quick,
            Users = userCount,
            SequentialSyncUsers = sequentialUsers ?? (quick ? Math.Min(200, userCount) : 10_000),
            OutputDirectory = output,
            ActivityLog = activityLog,
            // --quick stays cheap: two starts of each publish; the group reads alone start none.
            ColdStarts = groupReadsOnly ? 0 : coldStarts ?? (quick ? 2 : 5),
            GroupReadsOnly = groupReadsOnly,
        };
        return true;
    }

    private static int? WholeNumber(string? text, string option, ref string? problem)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        problem = $"{option} needs a whole number (0 or more)";
        return null;
    }

    private static int? PositiveNumber(string? text, string option, ref string? problem)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        problem = $"{option} needs a positive whole number";
        return null;
    }
}
