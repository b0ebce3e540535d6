using HikiConsult.Robot.Runtime;

namespace HikiConsult.Client.Tests.Robot;

public sealed class DeviceTokenStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("robot-token-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_saved_token_is_read_back_for_the_same_server_only_and_only_its_owner_can_read_it()
    {
        var store = new DeviceTokenStore(Path.Combine(_directory, "robot.json"));
        var server = new Uri("http://127.0.0.1:5080/");
        store.Save(new StoredDevice(server, "d1", "secret-token", "c1", "robot"));

        Assert.Equal("secret-token", store.Load(server)?.AccessToken);
        Assert.Null(store.Load(new Uri("http://other:5080/")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        }

        store.Forget();
        Assert.Null(store.Load(server));
    }

    [Fact]
    public void A_damaged_file_counts_as_not_paired()
    {
        var path = Path.Combine(_directory, "robot.json");
        File.WriteAllText(path, "{ not json");

        Assert.Null(new DeviceTokenStore(path).Load(new Uri("http://127.0.0.1:5080/")));
    }
}
