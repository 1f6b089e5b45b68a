from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planning and teams: coverage, annual plans, rounds, assignments, pools, teams, recusal, formation."""

    name = "xuncha.planning"
    label = "planning"
    verbose_name = "巡察计划与组建"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.planning.choices import AUDIT_ACTIONS

        register_audit_labels(actions=AUDIT_ACTIONS)
        from xuncha.core.access import rule_of
        from xuncha.core.capabilities import register_second_factor_rule
        from xuncha.core.navigation import register_nav
        from xuncha.core.params import register_config_listener
        from xuncha.core.todo import register_posts, register_todo
        from xuncha.planning import posts, schedule, todos
        from xuncha.planning.permissions import may_reveal_on_a_team
        from xuncha.planning.views import assignments, plans, pools, rounds

        for stage, label, url_name, view in [
            ("plan", "全覆盖规划", "planning:coverage_list", plans.coverage_list),
            ("plan", "年度计划", "planning:annual_list", plans.annual_list),
            ("plan", "巡察轮次", "planning:round_list", rounds.round_list),
            ("plan", "巡察任务", "planning:assignment_list", assignments.assignment_list),
            ("plan", "组长库与人才库", "planning:pool_list", pools.pool_list),
        ]:
            rule = rule_of(view)
            assert rule is not None
            register_nav(stage, label, url_name, rule)
        register_todo(todos.planning_todos)
        register_posts(posts.team_posts)
        register_config_listener(schedule.on_config_changed)
        # Leaders and petition officers may reveal reporters: they pass TOTP although no role grant says so.
        register_second_factor_rule("team_reveal", may_reveal_on_a_team)
