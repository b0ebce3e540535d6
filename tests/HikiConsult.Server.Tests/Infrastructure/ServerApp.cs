using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using HikiConsult.Server.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>
/// The real server in-process (WebApplicationFactory) on a real SQLite file in a temporary directory, with a
/// manual clock and captured logs. <see cref="RestartAsync"/> stops it and starts a new one on the same file.
/// </summary>
public sealed class ServerApp : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDirectory;
    private Factory _factory;
    private int _userCounter;

    public ServerApp(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataDirectory = null, string environment = "Development")
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "hikiconsult-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Seeds:Demo"] = "false",
            ["Auth:LoginPermitLimit"] = "100000",
            ["Auth:PairingPermitLimit"] = "100000",
            ["Hubs:SendBurst"] = "100000",
            ["Hubs:SendPerSecond"] = "100000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _services = services;
        _factory = NewFactory();
    }

    public string DataDirectory { get; }

    public string Environment { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "hikiconsult.db");

    public ManualTimeProvider Time { get; } = new();

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public TestServer Server => _factory.Server;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts the server now (the factory starts lazily otherwise).</summary>
    public ServerApp Start()
    {
        Http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return this;
    }

    /// <param name="whileStopped">Runs between the stop and the start, e.g. to change the database file.</param>
    public async Task RestartAsync(Func<Task>? whileStopped = null)
    {
        await _factory.DisposeAsync();
        if (whileStopped is not null)
        {
            SqliteConnection.ClearAllPools();
            await whileStopped();
        }

        _factory = NewFactory();
        Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown: the temp directory is cleaned by the OS later.
            }
        }
    }

    // ---- REST ----

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body, body.GetType(), options: Json);
        }

        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<HttpResponseMessage> PostAsync(string path, string? token, object? body) => SendAsync(HttpMethod.Post, path, token, body);

    /// <summary>Sends and expects a status; returns the body as T.</summary>
    public async Task<T> ExpectAsync<T>(HttpStatusCodeExpectation expected, HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected.Code, $"{method} {path}: expected {expected.Code}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    // ---- Accounts and setup through the API ----

    /// <summary>Creates a staff account (directly in the store) and signs it in through the API.</summary>
    public async Task<Staff> CreateStaffAsync(string role, string? name = null)
    {
        var username = $"{name ?? role}.{Interlocked.Increment(ref _userCounter)}.{Guid.NewGuid().ToString("N")[..6]}";
        var user = await Services.GetRequiredService<UserStore>().CreateAsync(username, $"Test {role} {username}", role, Password);
        var login = await ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(username, Password));
        return new Staff(user.Id, username, role, login.AccessToken);
    }

    public Task<ClientDto> CreateClientAsync(string token, string alias = "Test client (fictional)", string language = "en") =>
        ExpectAsync<ClientDto>(201, HttpMethod.Post, "/api/clients", token, new CreateClientRequest(alias, language));

    public Task<PairingCodeResponse> CreatePairingCodeAsync(string token, string clientId, string kind) =>
        ExpectAsync<PairingCodeResponse>(201, HttpMethod.Post, $"/api/clients/{clientId}/pairing-codes", token, new CreatePairingCodeRequest(kind));

    public async Task<PairDeviceResponse> PairDeviceAsync(string staffToken, string clientId, string kind = DeviceKinds.Avatar, string deviceName = "Test tablet")
    {
        var code = await CreatePairingCodeAsync(staffToken, clientId, kind);
        return await ExpectAsync<PairDeviceResponse>(201, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(code.Code, deviceName));
    }

    public Task<SessionDto> CreateSessionAsync(string token, string clientId, bool familyOnly = false, DateTimeOffset? scheduledAt = null) =>
        ExpectAsync<SessionDto>(201, HttpMethod.Post, "/api/sessions", token, new CreateSessionRequest(clientId, scheduledAt, familyOnly));

    // ---- Hubs ----

    /// <summary>A real SignalR connection over TestServer's WebSocket, token in the query as browsers send it.</summary>
    public async Task<HubClient> ConnectAsync(string hubPath, string token, bool start = true)
    {
        var connection = BuildConnection(hubPath, token);
        var client = new HubClient(connection);
        if (start)
        {
            await connection.StartAsync();
        }

        return client;
    }

    /// <summary>An unstarted connection without handlers.</summary>
    public HubConnection BuildConnection(string hubPath, string token)
    {
        var sockets = Server.CreateWebSocketClient();
        return new HubConnectionBuilder()
            .WithHikiConsultUrl(new Uri(Server.BaseAddress, hubPath), o =>
            {
                o.AccessTokenProvider = _ => ValueTask.FromResult<string?>(token);
                o.SendTokenInHeader = false;
                o.Connect = (uri, ct) => sockets.ConnectAsync(uri, ct);
            })
            .Build();
    }

    // ---- Database, read directly to check what is persisted ----

    public async Task<long> CountEventsAsync(string sessionId) =>
        (long)(await QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE session_id = $s", ("$s", sessionId)))!;

    public async Task<bool> EventExistsAsync(string sessionId, long seq) =>
        (long)(await QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE session_id = $s AND seq = $q", ("$s", sessionId), ("$q", seq)))! == 1;

    /// <summary>Runs a query on the database file, read-only, and returns the first column of its first row.</summary>
    public Task<object?> QueryScalarAsync(string sql, params (string Name, object Value)[] parameters) =>
        ScalarAsync("ReadOnly", sql, parameters);

    /// <summary>Runs a statement on the database file with write access (e.g. while stopped, in <see cref="RestartAsync"/>).</summary>
    public Task<object?> ExecuteAsync(string sql) => ScalarAsync("ReadWrite", sql, []);

    private async Task<object?> ScalarAsync(string mode, string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode={mode};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    private Factory NewFactory() => new(this);

    private sealed class Factory(ServerApp owner) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(owner.Environment);
            foreach (var (key, value) in owner._settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(owner.Logs));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(owner.Time);
                owner._services?.Invoke(services);
            });
        }
    }
}

/// <summary>A signed-in staff member.</summary>
public sealed record Staff(string Id, string Username, string Role, string Token);

/// <summary>An expected HTTP status, written as a plain number at call sites.</summary>
public readonly record struct HttpStatusCodeExpectation(int Code)
{
    public static implicit operator HttpStatusCodeExpectation(int code) => new(code);
}
