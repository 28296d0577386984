using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ScimFunctions.Benchmarks;

// The first argument picks the benchmark family, so an HTTP load benchmark can join this program later.
//   micro [BenchmarkDotNet arguments]   the protocol-core micro-benchmarks (BenchmarkSwitcher)
//   micro --quick                       a tiny in-process dry run of every micro-benchmark (for CI)
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: ScimFunctions.Benchmarks micro [--quick | BenchmarkDotNet arguments]");
    return args.Length == 0 ? 1 : 0;
}

switch (args[0])
{
    case "micro":
        var rest = args[1..];
        if (rest.Contains("--quick"))
        {
            var quick = DefaultConfig.Instance
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("quick"))
                .WithOptions(ConfigOptions.DisableOptimizationsValidator);
            var summaries = BenchmarkRunner.Run([typeof(FilterBenchmarks), typeof(PatchBenchmarks), typeof(ScanBenchmarks)], quick);
            var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            return failed ? 1 : 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(FilterBenchmarks).Assembly).Run(rest);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark family \"{args[0]}\"; expected: micro");
        return 2;
}
