"""Every write to the rooms domain. Views, consumers, the admin and tasks all call these."""
