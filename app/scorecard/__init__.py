"""Performance evaluation (业绩评价): the work log, scorecard rules as data, monthly scores and rankings."""
