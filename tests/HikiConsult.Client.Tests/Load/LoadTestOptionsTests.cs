using HikiConsult.LoadTest;

namespace HikiConsult.Client.Tests.Load;

/// <summary>The load tool's command line: runtime settings for the server process alone, where the bare relay runs, a running target.</summary>
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

    [Fact]
    public void A_running_target_replaces_the_tools_own_targets_and_names_the_processes_whose_cpu_is_summed()
    {
        var options = LoadTestOptions.Parse([
            "--target-url", "http://127.0.0.1:5180", "--target-name", "cluster", "--target-pids", "101,102, 103", "--database-pid", "99",
            "--target-nodes", "http://127.0.0.1:5181,http://127.0.0.1:5182",
        ]);

        Assert.Equal(new Uri("http://127.0.0.1:5180"), options.TargetUrl);
        Assert.Equal("cluster", options.TargetName);
        Assert.Equal([101, 102, 103], options.TargetPids);
        Assert.Equal(99, options.DatabasePid);
        Assert.Equal([new Uri("http://127.0.0.1:5181"), new Uri("http://127.0.0.1:5182")], options.TargetNodes);
        Assert.False(options.Server);
        Assert.False(options.Bare);

        // Without one, the tool's own targets as before.
        var own = LoadTestOptions.Parse([]);
        Assert.Null(own.TargetUrl);
        Assert.True(own.Server && own.Bare);
    }

    [Theory]
    [InlineData("--target-url", "http://127.0.0.1:5180", "--targets", "server", "leave out --targets")]
    [InlineData("--target-pids", "101", "--sessions", "10", "give its --target-url")]
    [InlineData("--target-url", "http://127.0.0.1:5180", "--target-pids", "101,x", "'x' is not a process id")]
    [InlineData("--target-url", "127.0.0.1:5180", "--sessions", "10", "An http(s) address")]
    [InlineData("--target-url", "http://127.0.0.1:5180", "--database-pid", "1,2", "one process id")]
    public void A_running_target_is_described_consistently(string option1, string value1, string option2, string value2, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse([option1, value1, option2, value2]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
