package io.focusmate.realtime.testkit;

import io.focusmate.realtime.limits.InMemoryUserLimits;
import io.focusmate.realtime.limits.UserLimits;

class InMemoryUserLimitsTest extends UserLimitsContractTest {
    @Override
    protected UserLimits createLimits() {
        return new InMemoryUserLimits();
    }
}
