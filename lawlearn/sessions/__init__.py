"""Study sessions (学习活动), attendance (签到), check-in links, sign-in sheets and imports."""
