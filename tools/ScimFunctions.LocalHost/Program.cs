using ScimFunctions.LocalHost;

// Runs the ScimFunctions app without Azure Functions Core Tools. Usage:
//   dotnet run --project tools/ScimFunctions.LocalHost -- [--port 7071] [--settings path/to/local.settings.json]
var options = new LocalHostOptions { Args = args };
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port") options.Port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    if (args[i] == "--settings") options.SettingsPath = args[i + 1];
}

var app = LocalFunctionsHost.Build(options);
await app.StartAsync();
var info = app.Services.GetRequiredService<LocalHostInfo>();
var baseAddress = app.BaseAddress().ToString().TrimEnd('/');
Console.WriteLine($"ScimFunctions local host on {baseAddress} (settings: {info.SettingsFile ?? "none"})");
foreach (var function in info.Functions.OrderBy(f => f.Name))
{
    Console.WriteLine(function.Trigger switch
    {
        HttpFunctionTrigger http => $"  {function.Name}: [{string.Join(',', http.Methods)}] {baseAddress}/{http.Route}",
        QueueFunctionTrigger queue => $"  {function.Name}: queue {queue.QueueName}",
        TimerFunctionTrigger timer => $"  {function.Name}: timer {timer.Schedule}",
        _ => $"  {function.Name}",
    });
}
Console.WriteLine($"Management key (x-functions-key): {info.FunctionKey}");
await app.WaitForShutdownAsync();
