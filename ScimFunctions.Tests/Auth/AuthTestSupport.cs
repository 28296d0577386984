using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using ScimFunctions.Activity;
using ScimFunctions.Auth;
using ScimFunctions.Configuration;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Auth;

/// <summary>Keeps every log line (message, state values, exception text) for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>
/// A SecretClient mock that behaves like a vault for the calls the app makes (set, get, start delete),
/// built with SecretModelFactory, with hooks for faults and for holding reads open.
/// </summary>
public sealed class VaultMock
{
    public static readonly Uri VaultUri = new("https://unit-test.vault.azure.net/");
    private readonly ConcurrentDictionary<string, KeyVaultSecret> secrets = new();
    private int reads;

    public VaultMock(TimeProvider time)
    {
        Client.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Returns((KeyVaultSecret secret, CancellationToken _) =>
            {
                Written.Enqueue(secret);
                if (WriteFault is { } fault) throw fault;
                var now = time.GetUtcNow();
                var properties = SecretModelFactory.SecretProperties(
                    new Uri(VaultUri, $"secrets/{secret.Name}/v1"), VaultUri, secret.Name, "v1", false, null, now, now, "Recoverable+Purgeable");
                properties.Enabled = secret.Properties.Enabled ?? true;
                properties.ExpiresOn = secret.Properties.ExpiresOn;
                properties.ContentType = secret.Properties.ContentType;
                foreach (var (key, value) in secret.Properties.Tags) properties.Tags[key] = value;
                var stored = SecretModelFactory.KeyVaultSecret(properties, secret.Value);
                secrets[secret.Name] = stored;
                return Task.FromResult(Response.FromValue(stored, Mock.Of<Response>()));
            });
        Client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(async (string name, string _, CancellationToken _) =>
            {
                Interlocked.Increment(ref reads);
                if (ReadGate is { } gate) await gate.Task;
                if (ReadFault is { } fault) throw fault;
                return secrets.TryGetValue(name, out var secret)
                    ? Response.FromValue(secret, Mock.Of<Response>())
                    : throw new RequestFailedException(404, "A secret with (name/id) was not found in this key vault.", "SecretNotFound", null);
            });
        Client.Setup(c => c.StartDeleteSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, CancellationToken cancellationToken) =>
            {
                if (WriteFault is { } fault) throw fault;
                return secrets.TryRemove(name, out _)
                    ? Task.FromResult(Mock.Of<DeleteSecretOperation>())
                    : throw new RequestFailedException(404, "Secret not found.", "SecretNotFound", null);
            });
    }

    public Mock<SecretClient> Client { get; } = new();
    public ConcurrentQueue<KeyVaultSecret> Written { get; } = new();
    public int Reads => Volatile.Read(ref reads);
    public IReadOnlyDictionary<string, KeyVaultSecret> Secrets => secrets;

    /// <summary>Thrown by every read while set (Key Vault down, throttling, timeouts).</summary>
    public Exception? ReadFault { get; set; }

    /// <summary>Thrown by writes and deletes while set.</summary>
    public Exception? WriteFault { get; set; }

    /// <summary>While set, reads wait for it: lets a test pile up concurrent misses.</summary>
    public TaskCompletionSource? ReadGate { get; set; }

    /// <summary>What another instance revoking the token does to the vault.</summary>
    public void RemoveBehindTheAppsBack(string name) => secrets.TryRemove(name, out _);
}

/// <summary>
/// The auth services as the app registers them (AddScimAuth with a Key Vault URI), with the SecretClient
/// mocked, a manual clock, captured logs and tables of their own in the test Azurite.
/// </summary>
public sealed class AuthHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly ScimAuthOptions options;
    private readonly DirectoryOptions directoryOptions;

    public AuthHarness(Action<ScimAuthOptions>? configure = null, Action<DirectoryOptions>? configureDirectories = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Vault = new VaultMock(Time);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var configuration = TestStorage.Configuration(new Dictionary<string, string?>
        {
            [AppSettingNames.KeyVaultUri] = VaultMock.VaultUri.ToString(),
            ["Storage:TableName"] = "data" + suffix,
        });
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Vault.Client.Object);
        services.AddScimDirectories(configuration, o =>
        {
            o.DirectoriesTableName = "dirs" + suffix;
            o.ScimDataTableName = "data" + suffix;
            configureDirectories?.Invoke(o);
        });
        services.AddScimAuth(configuration, new HostingEnvironment { EnvironmentName = Environments.Production }, o =>
        {
            o.TokensTableName = "tokens" + suffix;
            o.DevelopmentTokenHashesTableName = "devhashes" + suffix;
            configure?.Invoke(o);
        });
        services.AddScimStorage(configuration);
        services.AddActivity(configuration, o => o.TableName = "activity" + suffix);
        services.AddScimHttpEdge();
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        options = provider.GetRequiredService<ScimAuthOptions>();
        directoryOptions = provider.GetRequiredService<DirectoryOptions>();
    }

    public FakeTimeProvider Time { get; }
    public VaultMock Vault { get; }
    public LogCapture Logs { get; } = new();
    public IServiceProvider Services => provider;
    public ScimAuthOptions Options => options;
    public DirectoryOptions DirectoryOptions => directoryOptions;
    public ScimRequestAuthenticator Authenticator => provider.GetRequiredService<ScimRequestAuthenticator>();
    public TokenService Tokens => provider.GetRequiredService<TokenService>();
    public DirectoryService Directories => provider.GetRequiredService<DirectoryService>();
    public DirectoryStore DirectoryStore => provider.GetRequiredService<DirectoryStore>();
    public TableClient DataTable => provider.GetRequiredService<TableServiceClient>().GetTableClient(directoryOptions.ScimDataTableName);

    public T Create<T>() where T : class => ActivatorUtilities.CreateInstance<T>(provider);

    public async Task<ScimDirectory> NewDirectoryAsync(string name = "Contoso") =>
        await Directories.CreateAsync(name, DirectoryProvider.OneLogin, CancellationToken.None);

    public async Task<MintedToken> MintAsync(string directoryId, DateTimeOffset? expiresAt = null) =>
        await Tokens.MintAsync(directoryId, "OneLogin production", expiresAt, CancellationToken.None);

    public Task<ScimAuthOutcome> AuthenticateAsync(string directoryId, string? authorization) =>
        Authenticator.AuthenticateAsync(Http.Request(authorization).Headers.Authorization, directoryId, CancellationToken.None);

    /// <summary>The response the HTTP edge gives a failed authentication on a SCIM route.</summary>
    public IActionResult Refusal(ScimAuthOutcome outcome) =>
        new HttpEdge(options, NullLogger<HttpEdge>.Instance).Refused(ErrorSurface.Scim, outcome.Failure!.Value);

    public async ValueTask DisposeAsync()
    {
        var tables = provider.GetRequiredService<TableServiceClient>();
        foreach (var name in new[] { directoryOptions.DirectoriesTableName, options.TokensTableName, options.DevelopmentTokenHashesTableName, directoryOptions.ScimDataTableName, provider.GetRequiredService<ActivityOptions>().TableName })
        {
            await tables.DeleteTableAsync(name);
        }
        await provider.DisposeAsync();
    }
}

/// <summary>Requests in, executed results out, as the Functions host would do it.</summary>
public static class Http
{
    public static HttpRequest Request(string? authorization = null, string? body = null, string host = "scim.test.example")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
            context.Request.ContentType = "application/json";
        }
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<Executed> ExecuteAsync(IActionResult result, HttpRequest? request = null)
    {
        var context = request?.HttpContext ?? new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new Executed(context.Response.StatusCode, context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            text, text.Length > 0 ? JsonNode.Parse(text) : null, context.Response.ContentType);
    }

    public sealed record Executed(int Status, IReadOnlyDictionary<string, string> Headers, string Text, JsonNode? Json, string? ContentType);
}
