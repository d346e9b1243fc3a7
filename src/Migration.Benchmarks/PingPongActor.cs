using Migration.Actors;

namespace Migration.Benchmarks;

/// <summary>Returns the ball, one higher, until it reaches the limit.</summary>
internal sealed class PingPongActor : ReceiveActor
{
    public PingPongActor(long limit, long[] handled)
    {
        Receive<Ball>(ball =>
        {
            handled[0]++;
            if (ball.N < limit) Sender.Tell(new Ball(ball.N + 1), Self);
        });
    }
}
