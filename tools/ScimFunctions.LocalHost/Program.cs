using ScimFunctions.LocalHost;

// Runs the ScimFunctions app without Azure Functions Core Tools. Usage:
//   ScimFunctions.LocalHost [--port 7071] [--settings path/to/local.settings.json] [--dev-directory]
// --dev-directory ensures a directory named "Development" and prints its SCIM base URL and a fresh token.
var options = new LocalHostOptions();
var printDevelopmentCredentials = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length: options.Port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--settings" when i + 1 < args.Length: options.SettingsPath = args[++i]; break;
        case "--dev-directory": printDevelopmentCredentials = true; break;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'."); return 2;
    }
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
if (printDevelopmentCredentials)
{
    var credentials = await DevelopmentDirectory.EnsureAsync(new Uri(baseAddress + "/"), info.FunctionKey);
    Console.WriteLine();
    Console.WriteLine($"SCIM base URL: {credentials.ScimBaseUrl}");
    // Shown once, like every token: only its hash is stored.
    Console.WriteLine($"Bearer token: {credentials.BearerToken}");
}
Console.WriteLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync();
return 0;
