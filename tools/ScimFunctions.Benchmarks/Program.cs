using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ScimFunctions.Benchmarks;
using ScimFunctions.Benchmarks.Http;

// The first argument picks the benchmark family.
//   micro [BenchmarkDotNet arguments]   the protocol-core micro-benchmarks (BenchmarkSwitcher)
//   micro --quick                       a tiny in-process dry run of every micro-benchmark (for CI)
//   http [--quick] [--users N] [--sequential-users N] [--cold-starts N] [--group-reads-only] [--storage CONNECTION] [--out DIR]
//                                       SCIM over HTTP against Azurite (scripts/benchmark.sh starts Azurite)
const string Usage = """
    usage: ScimFunctions.Benchmarks micro [--quick | BenchmarkDotNet arguments]
           ScimFunctions.Benchmarks http [--quick] [--users N] [--sequential-users N] [--cold-starts N] [--group-reads-only] [--storage CONNECTION] [--out DIR]
             --storage defaults to the environment variable SCIM_BENCH_STORAGE (an Azurite connection string)
    """;
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
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
    case "http":
        if (!HttpArguments.TryParse(args[1..], out var httpOptions, out var problem))
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        // Ctrl+C or SIGTERM: stop measuring, shut the hosts down, print what was measured (a second signal kills).
        using (var stop = new CancellationTokenSource())
        {
            Action<PosixSignalContext> onSignal = context =>
            {
                if (stop.IsCancellationRequested) return;
                context.Cancel = true;
                Console.Error.WriteLine($"{context.Signal}: stopping the benchmark...");
                stop.Cancel();
            };
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
            return await HttpBenchmark.RunAsync(httpOptions!, stop.Token);
        }
    default:
        Console.Error.WriteLine($"unknown benchmark family \"{args[0]}\"; expected: micro or http");
        return 2;
}
