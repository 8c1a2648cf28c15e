"""Stage activity plans with milestones (阶段性活动计划、节点性管理): files, progress,
check-offs."""
