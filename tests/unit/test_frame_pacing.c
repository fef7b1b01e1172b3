/* test_frame_pacing.c: how often a streaming run pane lays out its answer again: about 30 times
 * a second while that is cheap, and, when laying it out costs more (a hostile answer whose layout
 * is slow), at most a fifth of the time, with a frame at least every two seconds. */
#define PD_MODULE_runpanes
#include "runpanes/answer_priv.h"
#include "t.h"

static void cheap_frames_come_30_a_second(void)
{
    CHECK_INT(pd_runloop_frame_ms(0), 33);
    CHECK_INT(pd_runloop_frame_ms(1.5), 33);
    CHECK_INT(pd_runloop_frame_ms(8), 33);
}

static void costly_frames_take_a_fifth_of_the_time(void)
{
    CHECK_INT(pd_runloop_frame_ms(9), 36);
    CHECK_INT(pd_runloop_frame_ms(50), 200);
    CHECK_INT(pd_runloop_frame_ms(400), 1600);
}

static void a_frame_every_two_seconds_at_least(void)
{
    CHECK_INT(pd_runloop_frame_ms(600), 2000);
    CHECK_INT(pd_runloop_frame_ms(1e9), 2000);
}

int main(void)
{
    RUN(cheap_frames_come_30_a_second);
    RUN(costly_frames_take_a_fifth_of_the_time);
    RUN(a_frame_every_two_seconds_at_least);
    T_DONE();
}
