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
using Xunit;

namespace HikiConsult.Testing;

/// <summary>
/// The real server in-process (WebApplicationFactory) on a real SQLite file in a temporary directory, with a manual
/// clock and captured logs. It starts on <see cref="Start"/> (or lazily, on first use of the factory), so a test can
/// assert that a bad setting stops the start-up. <see cref="RestartAsync(Func{Task}?)"/> stops it and starts a new
/// one on the same file and clock.
/// </summary>
public sealed class TestServerApp : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>The time zone of the clients the tests create unless they say otherwise.</summary>
    public const string ClientTimeZone = "Asia/Tokyo";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Where every test server's clock starts, whatever the time the suite runs at: Monday 10:00 in the test clients'
    /// time zone (<see cref="ClientTimeZone"/>). Daytime there, because triage counts activity between 00:00 and 05:00
    /// as a reason of its own (night-time activity), which no scenario should gain without asking for it. The server
    /// checks its tokens against this clock too, so it need not be near the real time.
    /// </summary>
    public static readonly DateTimeOffset ClockStart = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDirectory;
    private Factory _factory;
    private HttpClient? _http;
    private int _counter;

    /// <param name="settings">Configuration on top of the test defaults (null removes a default).</param>
    /// <param name="services">Replaces services after the server's own registrations (e.g. a failing store).</param>
    /// <param name="dataDirectory">An existing data directory, kept on dispose; by default a fresh temporary one.</param>
    /// <param name="environment">The host environment.</param>
    public TestServerApp(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataDirectory = null, string environment = "Development")
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "hikiconsult-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,

            // Inside the temporary directory so that it goes with it (a server's default is a sibling of its data).
            ["Keys:Directory"] = Path.Combine(DataDirectory, "keys"),
            ["Seeds:Demo"] = "false",
            ["Auth:LoginPermitLimit"] = "100000",
            ["Auth:PairingPermitLimit"] = "100000",
            ["Auth:RefreshPermitLimit"] = "100000",

            // Tokens are checked against this app's manual clock, which tests move by days; a test of the short
            // production lifetime sets it back (null removes this default).
            ["Auth:StaffTokenLifetime"] = "365.00:00:00",
            ["Hubs:SendBurst"] = "100000",
            ["Hubs:SendPerSecond"] = "100000",
            ["Hubs:JoinBurst"] = "100000",
            ["Hubs:JoinPerSecond"] = "100000",
        };
        if (TestPostgres.IsOn && settings?.ContainsKey("Storage:Provider") != true)
        {
            PostgresDatabase = TestPostgres.DatabaseName(DataDirectory);
            _settings["Storage:Provider"] = "Postgres";
            _settings["Storage:ConnectionString"] = TestPostgres.EnsureDatabase(PostgresDatabase);
        }

        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _services = services;
        _factory = new Factory(this);
    }

    public string DataDirectory { get; }

    public string Environment { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "hikiconsult.db");

    /// <summary>This app's PostgreSQL database when the tests run on PostgreSQL (<see cref="TestPostgres"/>), else null.</summary>
    public string? PostgresDatabase { get; }

    /// <summary>The key directory the server resolved (the test default, or what the settings made of it).</summary>
    public string KeyDirectory => Services.GetRequiredService<HikiConsult.Server.Protection.KeysSettings>().Directory;

    public string SigningKeyPath => Path.Combine(KeyDirectory, "signing-key");

    /// <summary>The bytes of the database file, its WAL and its shared-memory file, as they are on disk now.</summary>
    public byte[] ReadDatabaseFiles()
    {
        var bytes = new List<byte>();
        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            if (File.Exists(path))
            {
                // Shared reads: the server holds the files open.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new byte[stream.Length];
                stream.ReadExactly(buffer);
                bytes.AddRange(buffer);
            }
        }

        return [.. bytes];
    }

    /// <summary>Starts at <see cref="ClockStart"/>; moves only when a test moves it.</summary>
    public ManualClock Clock { get; } = new(ClockStart);

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public TestServer Server => _factory.Server;

    public HttpClient Http => _http ?? throw new InvalidOperationException("The server is not started: call Start() first.");

    /// <summary>Starts the server now; throws what the start-up throws.</summary>
    public TestServerApp Start()
    {
        _http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
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

        _factory = new Factory(this);
        Start();
    }

    /// <param name="whileStopped">Runs between the stop and the start, e.g. to move the clock while the server is down.</param>
    public Task RestartAsync(Action whileStopped) =>
        RestartAsync(() =>
        {
            whileStopped();
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory && PostgresDatabase is not null)
        {
            TestPostgres.DropDatabase(PostgresDatabase);
        }

        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown: the OS cleans the temp directory later.
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

    /// <summary>Sends, asserts the status, and returns the body read as T.</summary>
    public async Task<T> ExpectAsync<T>(int status, HttpMethod method, string path, string? token = null, object? body = null) =>
        JsonSerializer.Deserialize<T>(await ExpectStatusAsync(status, method, path, token, body), Json)!;

    public Task<T> GetJsonAsync<T>(string path, string? token) => ExpectAsync<T>(200, HttpMethod.Get, path, token);

    /// <summary>Sends, asserts the status, and returns the body text.</summary>
    public async Task<string> ExpectStatusAsync(int status, HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    // ---- Set-up through the API ----

    /// <summary>Creates a staff account in the store and signs it in through the API.</summary>
    public async Task<Staff> CreateStaffAsync(string role, string? name = null)
    {
        var username = $"{name ?? role}.{Interlocked.Increment(ref _counter)}.{Guid.NewGuid().ToString("N")[..6]}";
        var user = await Services.GetRequiredService<UserStore>().CreateAsync(username, $"Test {role} {username}", role, Password);
        var login = await ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(username, Password));
        return new Staff(user.Id, username, role, login.AccessToken);
    }

    /// <summary>Signs an existing account in again (tokens are issued by the manual clock).</summary>
    public async Task<Staff> SignInAgainAsync(Staff staff)
    {
        var login = await ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, Password));
        return staff with { Token = login.AccessToken };
    }

    public Task<ClientDto> CreateClientAsync(string token, string? alias = null, string language = "en", string timeZone = ClientTimeZone) =>
        ExpectAsync<ClientDto>(201, HttpMethod.Post, "/api/clients", token,
            new CreateClientRequest(alias ?? $"Fictional client {Interlocked.Increment(ref _counter)}", language, timeZone));

    public Task<PairingCodeResponse> CreatePairingCodeAsync(string token, string clientId, string kind) =>
        ExpectAsync<PairingCodeResponse>(201, HttpMethod.Post, $"/api/clients/{clientId}/pairing-codes", token, new CreatePairingCodeRequest(kind));

    public async Task<PairDeviceResponse> PairDeviceAsync(string staffToken, string clientId, string kind = DeviceKinds.Avatar, string? deviceName = null)
    {
        var code = await CreatePairingCodeAsync(staffToken, clientId, kind);
        return await ExpectAsync<PairDeviceResponse>(201, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(code.Code, deviceName ?? $"Test {kind}"));
    }

    public Task<SessionDto> CreateSessionAsync(string token, string clientId, bool familyOnly = false, DateTimeOffset? scheduledAt = null) =>
        ExpectAsync<SessionDto>(201, HttpMethod.Post, "/api/sessions", token, new CreateSessionRequest(clientId, scheduledAt, familyOnly));

    // ---- Hubs ----

    /// <summary>
    /// A real SignalR connection over TestServer's WebSocket, token in the query as browsers send it. Started, it
    /// returns once the server has set the connection up (<see cref="HubClient.ReadyAsync"/>).
    /// </summary>
    public async Task<HubClient> ConnectAsync(string hubPath, string token, bool start = true)
    {
        var client = new HubClient(BuildConnection(hubPath, token));
        if (start)
        {
            await client.Connection.StartAsync();
            await client.ReadyAsync();
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

    // ---- The database, read directly to check what is (not) persisted ----

    public async Task<long> CountEventsAsync(string sessionId) =>
        (long)(await QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE session_id = @s", ("@s", sessionId)))!;

    public async Task<bool> EventExistsAsync(string sessionId, long seq) =>
        (long)(await QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE session_id = @s AND seq = @q", ("@s", sessionId), ("@q", seq)))! == 1;

    /// <summary>The rows of a client in a table; 0 when the table does not exist (yet).</summary>
    public async Task<long> CountRowsAsync(string table, string clientId)
    {
        return await TableExistsAsync(table) ? (long)(await QueryScalarAsync($"SELECT COUNT(*) FROM {table} WHERE client_id = @c", ("@c", clientId)))! : 0;
    }

    public async Task<bool> TableExistsAsync(string table) =>
        Convert.ToInt64(await QueryScalarAsync(
            PostgresDatabase is null
                ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t"
                : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = @t",
            ("@t", table))) > 0;

    /// <summary>Runs a query on the database (the SQLite file read-only, or the PostgreSQL database) and returns the first column of its first row.</summary>
    public async Task<object?> QueryScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync("ReadOnly");
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Changes the database behind the server's back, for a test that sets up what a crash would have left: run
    /// it from <see cref="RestartAsync(Func{Task}?)"/>'s callback, while the server is stopped. Returns the rows changed.
    /// </summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync("ReadWrite");
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync(string mode)
    {
        System.Data.Common.DbConnection connection = PostgresDatabase is null
            ? new SqliteConnection($"Data Source={DatabasePath};Mode={mode};Pooling=False")
            : new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString(PostgresDatabase));
        await connection.OpenAsync();
        return connection;
    }

    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private sealed class Factory(TestServerApp owner) : WebApplicationFactory<Program>
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
                services.AddSingleton<TimeProvider>(owner.Clock);
                owner._services?.Invoke(services);
            });
        }
    }
}
