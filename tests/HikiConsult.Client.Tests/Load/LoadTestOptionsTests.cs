using HikiConsult.LoadTest;

namespace HikiConsult.Client.Tests.Load;

/// <summary>The load tool's command line: runtime settings for the server process alone, where the bare relay runs.</summary>
public sealed class LoadTestOptionsTests
{
    [Fact]
    public void Server_environment_variables_accumulate_and_keep_equals_signs_in_values()
    {
        var options = LoadTestOptions.Parse([
            "--server-env", "DOTNET_GCgen0size=0x1000000",
            "--server-env", "EarlyConsultation__AnalyticsWriteDelay=00:00:10",
            "--server-env", "Example=a=b",
            "--server-env", "DOTNET_GCgen0size=0x2000000",
        ]);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["DOTNET_GCgen0size"] = "0x2000000",
                ["EarlyConsultation__AnalyticsWriteDelay"] = "00:00:10",
                ["Example"] = "a=b",
            },
            options.ServerEnvironment);
        Assert.Empty(LoadTestOptions.Parse([]).ServerEnvironment);
    }

    [Theory]
    [InlineData("NO_VALUE")]
    [InlineData("=value")]
    public void A_server_environment_variable_needs_a_name_and_an_equals_sign(string assignment)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse(["--server-env", assignment]));
        Assert.Contains("NAME=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_file_and_a_server_log_file_are_optional()
    {
        Assert.Equal("t.csv", LoadTestOptions.Parse(["--timeline", "t.csv"]).TimelineFile);
        Assert.Null(LoadTestOptions.Parse([]).TimelineFile);
        Assert.Equal("server.log", LoadTestOptions.Parse(["--server-log", "server.log"]).ServerLogFile);
        Assert.Null(LoadTestOptions.Parse([]).ServerLogFile);
    }

    [Fact]
    public void The_bare_relay_runs_in_a_process_of_its_own_unless_asked_to_run_in_process()
    {
        Assert.False(LoadTestOptions.Parse([]).BareRelayInProcess);
        Assert.False(LoadTestOptions.Parse(["--bare-relay", "process"]).BareRelayInProcess);
        Assert.True(LoadTestOptions.Parse(["--bare-relay", "in-process"]).BareRelayInProcess);
        var error = Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse(["--bare-relay", "inline"]));
        Assert.Contains("process or in-process", error.Message, StringComparison.Ordinal);
    }
}
