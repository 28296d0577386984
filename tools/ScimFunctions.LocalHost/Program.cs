using ScimFunctions.LocalHost;

// Runs the ScimFunctions app without Azure Functions Core Tools. Usage:
//   dotnet run --project tools/ScimFunctions.LocalHost [-- --port 7071] [--settings path] [--no-dev-directory]
// Creates local.settings.json from the sample when missing, starts Azurite (installed from npm, data in .azurite/)
// when nothing answers where AzureWebJobsStorage points on this machine, and stops it on exit. By default it
// ensures a directory named "Development" and prints its SCIM base URL and a fresh token (--dev-directory,
// accepted for older scripts, is the default; --no-dev-directory skips it).
var options = new LocalHostOptions();
var printDevelopmentCredentials = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var port): options.Port = port; i++; break;
        case "--settings" when i + 1 < args.Length: options.SettingsPath = Path.GetFullPath(args[++i]); break;
        case "--dev-directory": printDevelopmentCredentials = true; break;
        case "--no-dev-directory": printDevelopmentCredentials = false; break;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--port N] [--settings FILE] [--no-dev-directory]"); return 2;
    }
}

var repositoryRoot = AzuriteInstallation.FindRepositoryRoot();
if (options.SettingsPath is null)
{
    options.SettingsPath = LocalSettingsBootstrap.EnsureSettingsFile(repositoryRoot, Console.Out);
}
else if (!File.Exists(options.SettingsPath))
{
    Console.Error.WriteLine($"Settings file not found: {options.SettingsPath}");
    return 2;
}

AzuriteProcess? azurite = null;
// The last resort when the process ends another way than through the code below.
AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite?.Stop();
try
{
    var connectionString = (options.SettingsPath is null ? null : LocalSettingsFile.ReadValues(options.SettingsPath).GetValueOrDefault("AzureWebJobsStorage"))
        ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage");
    if (!string.IsNullOrWhiteSpace(connectionString))
    {
        azurite = LocalStorage.EnsureReachable(connectionString, repositoryRoot, Console.Out);
    }

    var app = LocalFunctionsHost.Build(options);
    try
    {
        await app.StartAsync();
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"The local host could not listen on port {options.Port}: {OneLine(e.Message)} (choose another with --port).");
        return 1;
    }

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
        DevelopmentDirectory.Credentials credentials;
        try
        {
            credentials = await DevelopmentDirectory.EnsureAsync(new Uri(baseAddress + "/"), info.FunctionKey);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            Console.Error.WriteLine($"Could not create the Development directory through {baseAddress}/manage/directories: {OneLine(e.Message)}");
            await app.StopAsync();
            return 1;
        }
        Console.WriteLine();
        Console.WriteLine($"SCIM base URL: {credentials.ScimBaseUrl}");
        // Shown once, like every token: only its hash is stored.
        Console.WriteLine($"Bearer token: {credentials.BearerToken}");
        // An operator link (24 hours): opens the portal for every directory.
        Console.WriteLine($"Portal: {credentials.PortalUrl}");
    }
    Console.WriteLine("Press Ctrl+C to stop.");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (StorageUnreachableException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
finally
{
    azurite?.Stop();
}

static string OneLine(string text)
{
    var line = text.ReplaceLineEndings(" ");
    return line.Length <= 300 ? line : line[..300] + "…";
}
