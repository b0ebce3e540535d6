using HikiConsult.Contracts;
using HikiConsult.Robot.Runtime;

namespace HikiConsult.Client.Tests.Robot;

public sealed class KeyboardInputParserTests
{
    [Theory]
    [InlineData("t", "touch", "head")]
    [InlineData("t hand", "touch", "hand")]
    [InlineData("p away", "presence", "away")]
    [InlineData("P here", "presence", "here")]
    [InlineData("r thanks", "reaction", "thanks")]
    [InlineData("e calm", "emotion", "calm")]
    public void Signal_commands_become_signals(string line, string name, string value)
    {
        var input = Assert.IsType<RobotInput.Signal>(KeyboardInputParser.Parse(line));

        Assert.Equal(name, input.Name);
        Assert.Equal(value, input.Value);
        Assert.Contains(name, AvatarVocabulary.Signals);
    }

    [Theory]
    [InlineData("say hello there", "hello there")]
    [InlineData("I am fine today", "I am fine today")]
    public void Other_words_are_a_text_message(string line, string message)
    {
        Assert.Equal(message, Assert.IsType<RobotInput.Text>(KeyboardInputParser.Parse(line)).Message);
    }

    [Theory]
    [InlineData("p sideways")]
    [InlineData("r")]
    [InlineData("?")]
    public void Incomplete_commands_ask_for_help_instead_of_sending(string line)
    {
        Assert.IsType<RobotInput.Help>(KeyboardInputParser.Parse(line));
    }

    [Fact]
    public void Blank_lines_are_nothing_and_q_quits()
    {
        Assert.Null(KeyboardInputParser.Parse("   "));
        Assert.IsType<RobotInput.Quit>(KeyboardInputParser.Parse("q"));
    }
}
