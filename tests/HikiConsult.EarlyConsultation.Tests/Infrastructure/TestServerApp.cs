using System.Collections.Concurrent;
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

namespace HikiConsult.EarlyConsultation.Tests.Infrastructure;

/// <summary>
/// The real server in-process (WebApplicationFactory) on a real SQLite file in a temporary directory, with a manual
/// clock and captured logs. <see cref="RestartAsync"/> stops it and starts a new one on the same file and clock.
/// </summary>
public sealed class TestServerApp : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string?> _settings;
    private Factory _factory;
    private int _counter;

    public TestServerApp(Dictionary<string, string?>? settings = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "hikiconsult-ec-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
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

        _factory = new Factory(this);
        Http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "hikiconsult.db");

    /// <summary>
    /// Starts at the real time, moved back 8 hours when that is between 23:00 and 06:00 in the test clients' time
    /// zone (<see cref="ClientTimeZone"/>): triage counts activity between 00:00 and 05:00 as a reason of its own
    /// (night-time activity), which a scenario run at night there, or crossing midnight by its minutes, would gain
    /// without asking for it. Never after the real time and at most 8 hours before it: tokens issued by this clock
    /// (12 hours for staff) are checked against the real clock.
    /// </summary>
    public ManualClock Clock { get; } = new(DaytimeStart(DateTimeOffset.UtcNow));

    /// <summary>The time zone of the clients the tests create unless they say otherwise.</summary>
    public const string ClientTimeZone = "Asia/Tokyo";

    internal static DateTimeOffset DaytimeStart(DateTimeOffset now)
    {
        // Whole milliseconds, as the store keeps them.
        now = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var localHour = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(ClientTimeZone)).Hour;
        return localHour is >= 23 or < 6 ? now.AddHours(-8) : now;
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public HttpClient Http { get; private set; }

    /// <summary>Stops the server, runs <paramref name="stopped"/> (e.g. moves the clock while it is down), starts it again.</summary>
    public async Task RestartAsync(Action? stopped = null)
    {
        await _factory.DisposeAsync();
        stopped?.Invoke();
        _factory = new Factory(this);
        Http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the OS cleans the temp directory later.
        }
    }

    // ---- REST ----

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
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

    /// <summary>Sends, asserts the status, and returns the body read as T.</summary>
    public async Task<T> ExpectAsync<T>(int status, HttpMethod method, string path, string? token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public Task<T> GetJsonAsync<T>(string path, string token) => ExpectAsync<T>(200, HttpMethod.Get, path, token);

    /// <summary>Asserts a status and returns the body text.</summary>
    public async Task<string> ExpectStatusAsync(int status, HttpMethod method, string path, string? token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    // ---- Set-up through the API ----

    /// <summary>Creates a staff account in the store and signs it in through the API.</summary>
    public async Task<Staff> CreateStaffAsync(string role)
    {
        var username = $"{role}.{Interlocked.Increment(ref _counter)}.{Guid.NewGuid().ToString("N")[..6]}";
        var user = await Services.GetRequiredService<UserStore>().CreateAsync(username, $"Test {role} {_counter}", role, Password);
        var login = await ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", null, new LoginRequest(username, Password));
        return new Staff(user.Id, username, role, login.AccessToken);
    }

    /// <summary>Signs an existing account in again (tokens are issued by the manual clock).</summary>
    public async Task<Staff> SignInAgainAsync(Staff staff)
    {
        var login = await ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", null, new LoginRequest(staff.Username, Password));
        return staff with { Token = login.AccessToken };
    }

    public Task<ClientDto> CreateClientAsync(string token, string language = "en", string timeZone = ClientTimeZone) =>
        ExpectAsync<ClientDto>(201, HttpMethod.Post, "/api/clients", token,
            new CreateClientRequest($"Fictional client {Interlocked.Increment(ref _counter)}", language, timeZone));

    public async Task<PairDeviceResponse> PairDeviceAsync(string staffToken, string clientId, string kind = DeviceKinds.Avatar)
    {
        var code = await ExpectAsync<PairingCodeResponse>(201, HttpMethod.Post, $"/api/clients/{clientId}/pairing-codes", staffToken, new CreatePairingCodeRequest(kind));
        return await ExpectAsync<PairDeviceResponse>(201, HttpMethod.Post, "/api/devices/pair", null, new PairDeviceRequest(code.Code, $"Test {kind}"));
    }

    public Task<SessionDto> CreateSessionAsync(string token, string clientId, bool familyOnly = false) =>
        ExpectAsync<SessionDto>(201, HttpMethod.Post, "/api/sessions", token, new CreateSessionRequest(clientId, null, familyOnly));

    /// <summary>A real SignalR connection over TestServer's WebSocket, token in the query as browsers send it.</summary>
    public async Task<PushClient> ConnectAsync(string hubPath, string token)
    {
        var sockets = _factory.Server.CreateWebSocketClient();
        var connection = new HubConnectionBuilder()
            .WithHikiConsultUrl(new Uri(_factory.Server.BaseAddress, hubPath), o =>
            {
                o.AccessTokenProvider = _ => ValueTask.FromResult<string?>(token);
                o.SendTokenInHeader = false;
                o.Connect = (uri, ct) => sockets.ConnectAsync(uri, ct);
            })
            .Build();
        var client = new PushClient(connection);
        await connection.StartAsync();
        await client.ReadyAsync();
        return client;
    }

    /// <summary>Counselor, client (assigned to the counselor), paired avatar device, and a session, all through the API.</summary>
    public async Task<Scenario> ScenarioAsync(string language = "en", Staff? counselor = null, bool familyOnly = false)
    {
        counselor ??= await CreateStaffAsync(Roles.Counselor);
        var client = await CreateClientAsync(counselor.Token, language);
        var device = await PairDeviceAsync(counselor.Token, client.Id, familyOnly ? DeviceKinds.Family : DeviceKinds.Avatar);
        var session = await CreateSessionAsync(counselor.Token, client.Id, familyOnly);
        return new Scenario(counselor, client, device, session);
    }

    // ---- The database, read directly to check what is (not) persisted ----

    public async Task<long> CountRowsAsync(string table, string clientId)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
        exists.Parameters.AddWithValue("$t", table);
        if ((long)(await exists.ExecuteScalarAsync())! == 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE client_id = $c";
        command.Parameters.AddWithValue("$c", clientId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Changes the database file behind the server's back, for a test that sets up what a crash would have left: run
    /// it from <see cref="RestartAsync"/>'s callback, while the server is stopped. Returns the rows changed.
    /// </summary>
    public int ExecuteWhileStopped(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private sealed class Factory(TestServerApp owner) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in owner._settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(new CaptureProvider(owner.Logs)));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(owner.Clock));
        }
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CaptureLogger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>A signed-in staff member.</summary>
public sealed record Staff(string Id, string Username, string Role, string Token);

/// <summary>A counselor with one client, its paired device and a scheduled session.</summary>
public sealed record Scenario(Staff Counselor, ClientDto Client, PairDeviceResponse Device, SessionDto Session);
